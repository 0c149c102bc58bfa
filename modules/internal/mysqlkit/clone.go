package mysqlkit

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/testdock/testdock/modules/internal/sqlpool"
)

// How a test's database is made. MySQL and MariaDB have no CREATE
// DATABASE ... TEMPLATE; the fastest honest copy measured here (see
// BENCHMARKS.md) replays the template's DDL, as SHOW CREATE gives it, in
// one multi-statement round trip: CREATE DATABASE, CREATE TABLE for each
// table (foreign key checks off), INSERT ... SELECT for each table that
// has rows, then routines, views (in an order that works), triggers and
// events. The template is captured once per server from the server's
// database right after the init scripts and migrations, into a database of
// its own (testdock_tpl_<hash>) that rows are copied from.

// template is the captured schema of the server's database.
type template struct {
	src       string // the database the statements were captured from
	name      string // the template database: rows are copied from it
	charset   string
	collation string
	tables    []table
	routines  []string // each preceded by the SET of its sql_mode
	views     []string // in an order that creates them
	triggers  []string
	events    []string
}

type table struct {
	name   string
	create string
	cols   []string // the columns that take values (not generated)
	rows   bool     // it has rows to copy
}

// tableTypes are the information_schema table types copied as tables
// (MariaDB has sequences and system-versioned tables).
var tableTypes = map[string]bool{"BASE TABLE": true, "SEQUENCE": true, "SYSTEM VERSIONED": true}

// capture reads the schema of db.
func capture(ctx context.Context, conn *sql.Conn, db string) (*template, error) {
	// With db the default database, SHOW CREATE leaves names in it
	// unqualified (MariaDB) or qualified by it (MySQL): both replay.
	if _, err := conn.ExecContext(ctx, "USE "+quoteName(db)); err != nil {
		return nil, err
	}
	t := &template{src: db}
	if err := conn.QueryRowContext(ctx, "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db).Scan(&t.charset, &t.collation); err != nil {
		return nil, fmt.Errorf("character set of %s: %w", db, err)
	}
	type object struct{ name, kind string }
	list := func(q string) ([]object, error) {
		rows, err := conn.QueryContext(ctx, q, db)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []object
		for rows.Next() {
			var o object
			if err := rows.Scan(&o.name, &o.kind); err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		return out, rows.Err()
	}

	tables, err := list("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")
	if err != nil {
		return nil, fmt.Errorf("tables of %s: %w", db, err)
	}
	var views []string
	for _, o := range tables {
		switch {
		case o.kind == "VIEW":
			stmt, _, err := showCreate(ctx, conn, "SHOW CREATE VIEW "+quoteName(o.name), "Create View")
			if err != nil {
				return nil, err
			}
			views = append(views, stmt)
		case tableTypes[o.kind]:
			tb := table{name: o.name}
			if tb.create, _, err = showCreate(ctx, conn, "SHOW CREATE TABLE "+quoteName(o.name), "Create Table"); err != nil {
				return nil, err
			}
			if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+quoteName(o.name)+")").Scan(&tb.rows); err != nil {
				return nil, fmt.Errorf("rows of %s: %w", o.name, err)
			}
			if tb.rows {
				if tb.cols, err = columns(ctx, conn, db, o.name); err != nil {
					return nil, err
				}
			}
			t.tables = append(t.tables, tb)
		default:
			return nil, fmt.Errorf("table %s is of type %s, which the template can't copy", o.name, o.kind)
		}
	}
	t.views = views // ordered when the template is made

	routines, err := list("SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME")
	if err != nil {
		return nil, fmt.Errorf("routines of %s: %w", db, err)
	}
	for _, o := range routines {
		if o.kind != "PROCEDURE" && o.kind != "FUNCTION" {
			return nil, fmt.Errorf("routine %s is a %s, which the template can't copy", o.name, o.kind)
		}
		kind := strings.ToUpper(o.kind[:1]) + strings.ToLower(o.kind[1:])
		stmt, mode, err := showCreate(ctx, conn, "SHOW CREATE "+o.kind+" "+quoteName(o.name), "Create "+kind)
		if err != nil {
			return nil, err
		}
		t.routines = append(t.routines, withMode(mode, stmt))
	}

	triggers, err := list("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER")
	if err != nil {
		return nil, fmt.Errorf("triggers of %s: %w", db, err)
	}
	for _, o := range triggers {
		stmt, mode, err := showCreate(ctx, conn, "SHOW CREATE TRIGGER "+quoteName(o.name), "SQL Original Statement")
		if err != nil {
			return nil, err
		}
		t.triggers = append(t.triggers, withMode(mode, stmt))
	}

	events, err := list("SELECT EVENT_NAME, EVENT_TYPE FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME")
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", db, err)
	}
	for _, o := range events {
		stmt, mode, err := showCreate(ctx, conn, "SHOW CREATE EVENT "+quoteName(o.name), "Create Event")
		if err != nil {
			return nil, err
		}
		t.events = append(t.events, withMode(mode, stmt))
	}
	return t, nil
}

// showCreate runs a SHOW CREATE statement and returns its column col and
// its sql_mode column, if any.
func showCreate(ctx context.Context, conn *sql.Conn, q, col string) (stmt, mode string, err error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return "", "", err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", "", fmt.Errorf("%s: %w", q, err)
		}
		return "", "", fmt.Errorf("%s: no result", q)
	}
	vals := make([]sql.NullString, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", "", fmt.Errorf("%s: %w", q, err)
	}
	found := false
	for i, n := range names {
		switch {
		case strings.EqualFold(n, col):
			stmt, found = vals[i].String, vals[i].Valid
		case strings.EqualFold(n, "sql_mode"):
			mode = vals[i].String
		}
	}
	if !found {
		return "", "", fmt.Errorf("%s: no %q in its result (missing privileges?)", q, col)
	}
	return stmt, mode, rows.Close()
}

// columns returns the columns of a table that take values, in order.
func columns(ctx context.Context, conn *sql.Conn, db, tbl string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COALESCE(GENERATION_EXPRESSION, '') = '' ORDER BY ORDINAL_POSITION", db, tbl)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", tbl, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, quoteName(c))
	}
	return cols, rows.Err()
}

func withMode(mode, stmt string) string {
	return "SET SESSION sql_mode = " + quoteString(mode) + ";\n" + stmt
}

// replayMode is the sql_mode of tables, rows and views, as mysqldump has
// it: nothing strict, and an AUTO_INCREMENT value of 0 stays 0.
const replayMode = "SET SESSION foreign_key_checks = 0, unique_checks = 0, sql_mode = 'NO_AUTO_VALUE_ON_ZERO'"

// script returns the statements that make target as a copy of the
// template, its rows taken from rowsFrom, in parts: before the views, the
// views, after the views.
func (t *template) script(target, rowsFrom string) (before, views, after []string) {
	rename := func(s string) string {
		return strings.ReplaceAll(s, quoteName(t.src)+".", quoteName(target)+".")
	}
	before = append(before,
		"CREATE DATABASE "+quoteName(target)+" CHARACTER SET "+quoteString(t.charset)+" COLLATE "+quoteString(t.collation),
		"USE "+quoteName(target),
		replayMode)
	for _, tb := range t.tables {
		before = append(before, rename(tb.create))
	}
	for _, tb := range t.tables {
		if tb.rows {
			cols := strings.Join(tb.cols, ", ")
			before = append(before, fmt.Sprintf("INSERT INTO %s.%s (%s) SELECT %s FROM %s.%s",
				quoteName(target), quoteName(tb.name), cols, cols, quoteName(rowsFrom), quoteName(tb.name)))
		}
	}
	for _, r := range t.routines {
		before = append(before, rename(r))
	}
	for _, v := range t.views {
		views = append(views, rename(v))
	}
	after = append(after, replayMode)
	for _, tr := range t.triggers {
		after = append(after, rename(tr))
	}
	for _, e := range t.events {
		after = append(after, rename(e))
	}
	// Leave the new database: a session whose default database it is
	// counts as one to end when it is dropped.
	after = append(after, "SET SESSION foreign_key_checks = 1, unique_checks = 1, sql_mode = @@GLOBAL.sql_mode", "USE information_schema")
	return before, views, after
}

// makeTemplate captures the server's database and copies it, rows and
// all, into the template database, finding an order of the views that
// works (a view can use another).
func (s *Server) makeTemplate(ctx context.Context) error {
	conn, err := s.admin.Conn(ctx)
	if err != nil {
		return err
	}
	// The connection's default database and session settings change:
	// don't give it back to the pool.
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	t, err := capture(ctx, conn, s.cfg.Database)
	if err != nil {
		return fmt.Errorf("capture the template from %s: %w", s.cfg.Database, err)
	}
	t.name = "testdock_tpl_" + s.key
	before, views, after := t.script(t.name, t.src)
	if _, err := conn.ExecContext(ctx, strings.Join(before, ";\n")); err != nil {
		return fmt.Errorf("make the template %s: %w", t.name, err)
	}
	var ordered []string
	for len(views) > 0 {
		var failed []string
		var lastErr error
		for i, v := range views {
			if _, err := conn.ExecContext(ctx, v); err != nil {
				failed, lastErr = append(failed, t.views[i]), err
				continue
			}
			ordered = append(ordered, t.views[i])
		}
		if len(failed) == len(views) {
			return fmt.Errorf("make the template %s: views: %w", t.name, lastErr)
		}
		t.views = failed
		_, views, _ = t.script(t.name, t.src)
	}
	t.views = ordered
	if _, err := conn.ExecContext(ctx, strings.Join(after, ";\n")); err != nil {
		return fmt.Errorf("make the template %s: %w", t.name, err)
	}
	s.mu.Lock()
	s.tpl = t
	s.mu.Unlock()
	return nil
}

// createDB makes a database from the template in one round trip.
func (s *Server) createDB(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.seq++
	name := fmt.Sprintf("testdock_%s_%d", s.key[:8], s.seq)
	s.mu.Unlock()
	before, views, after := s.tpl.script(name, s.tpl.name)
	q := strings.Join(append(append(before, views...), after...), ";\n")
	if _, err := s.admin.ExecContext(ctx, q); err != nil {
		if s.isClosed() {
			return "", sqlpool.ErrClosed
		}
		// Don't leave half a database behind.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		_ = s.drop(dctx, name)
		return "", fmt.Errorf("create database %s from template %s: %w", name, s.tpl.name, err)
	}
	return name, nil
}

// drop ends the sessions still on a database (whose locks would hold up
// the drop) and drops it, all on one connection of its own.
func (s *Server) drop(ctx context.Context, name string) error {
	if s.isClosed() {
		return sqlpool.ErrClosed
	}
	conn, err := s.admin.Conn(ctx)
	if err != nil {
		return s.closedOr(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", name)
	if err != nil {
		return s.closedOr(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		// The session may have ended meanwhile (unknown thread id).
		_, _ = conn.ExecContext(ctx, fmt.Sprintf("KILL CONNECTION %d", id))
	}
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteName(name)); err != nil {
		return s.closedOr(fmt.Errorf("drop database %s: %w", name, err))
	}
	return nil
}

func (s *Server) closedOr(err error) error {
	if s.isClosed() {
		return sqlpool.ErrClosed
	}
	return err
}
