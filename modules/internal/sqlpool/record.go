package sqlpool

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Recorder remembers the statement whose error a migration returned, so
// that a failed migration can name it. Make one with OpenRecorded.
type Recorder struct {
	// Locate returns the 1-based character position of the error in the
	// statement, or 0 (PostgreSQL reports one for syntax errors and unknown
	// names). Optional.
	Locate func(err error) int

	mu     sync.Mutex
	failed []failure
}

type failure struct {
	stmt string
	err  error
}

// OpenRecorded returns a *sql.DB on c whose failing statements rec
// remembers. The caller closes the DB.
func OpenRecorded(c driver.Connector, rec *Recorder) *sql.DB {
	return sql.OpenDB(recConnector{c, rec})
}

func (r *Recorder) record(stmt string, err error) error {
	if err == nil || errors.Is(err, driver.ErrSkip) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.Canceled) {
		return err
	}
	r.mu.Lock()
	r.failed = append(r.failed, failure{stmt, err})
	r.mu.Unlock()
	return err
}

// MigrationError is a migration that returned an error. It names the
// statement that failed, when a statement's error is what the migration
// returned.
type MigrationError struct {
	// Step is the migration's position (1-based) and Name its function's
	// name.
	Step int
	Name string
	// Statement is the failing statement, "" when the error did not come
	// from one; Line is the line in it where the server located the error
	// (0 if it did not).
	Statement string
	Line      int
	Err       error
}

// Explain wraps err, returned by migration number step (name), in a
// *MigrationError that names the statement it came from.
func (r *Recorder) Explain(step int, name string, err error) error {
	e := &MigrationError{Step: step, Name: name, Err: err}
	r.mu.Lock()
	failed := r.failed
	r.mu.Unlock()
	// The statement whose error the migration returned (maybe wrapped);
	// failing that, the last statement that failed.
	for i := len(failed) - 1; i >= 0; i-- {
		if errors.Is(err, failed[i].err) {
			e.Statement = failed[i].stmt
			break
		}
	}
	if e.Statement == "" && len(failed) > 0 {
		e.Statement = failed[len(failed)-1].stmt
	}
	if e.Statement != "" && r.Locate != nil {
		for i := len(failed) - 1; i >= 0; i-- {
			if failed[i].stmt == e.Statement {
				if pos := r.Locate(failed[i].err); pos > 0 && pos <= len(e.Statement)+1 {
					e.Line = 1 + strings.Count(e.Statement[:pos-1], "\n")
				}
				break
			}
		}
	}
	return e
}

// maxStatement is how much of a long statement an error shows.
const maxStatement = 1500

// Error names the migration, its error and the failing statement (the
// lines around the error when the server located it).
func (e *MigrationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "migration %d (%s) failed: %v", e.Step, e.Name, e.Err)
	if e.Statement == "" {
		return b.String()
	}
	stmt := strings.TrimSpace(e.Statement)
	lines := strings.Split(stmt, "\n")
	if e.Line > 0 && e.Line <= len(lines) {
		fmt.Fprintf(&b, "\nfailing statement, at line %d of %d:", e.Line, len(lines))
		// The lines around the error, marked.
		from, to := max(e.Line-3, 1), min(e.Line+2, len(lines))
		for i := from; i <= to; i++ {
			mark := "   "
			if i == e.Line {
				mark = "=> "
			}
			fmt.Fprintf(&b, "\n\t%s%4d | %s", mark, i, lines[i-1])
		}
		return b.String()
	}
	if len(stmt) > maxStatement {
		stmt = stmt[:maxStatement] + " …"
	}
	b.WriteString("\nfailing statement:\n\t")
	b.WriteString(strings.ReplaceAll(stmt, "\n", "\n\t"))
	return b.String()
}

// Unwrap returns the migration's error.
func (e *MigrationError) Unwrap() error { return e.Err }

// recConnector, recConn and recStmt pass everything to the driver and
// record the statements whose execution failed.
type recConnector struct {
	c   driver.Connector
	rec *Recorder
}

func (c recConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &recConn{conn, c.rec}, nil
}

func (c recConnector) Driver() driver.Driver { return c.c.Driver() }

type recConn struct {
	c   driver.Conn
	rec *Recorder
}

var (
	_ driver.Conn               = (*recConn)(nil)
	_ driver.ConnPrepareContext = (*recConn)(nil)
	_ driver.ConnBeginTx        = (*recConn)(nil)
	_ driver.ExecerContext      = (*recConn)(nil)
	_ driver.QueryerContext     = (*recConn)(nil)
	_ driver.Pinger             = (*recConn)(nil)
	_ driver.SessionResetter    = (*recConn)(nil)
	_ driver.Validator          = (*recConn)(nil)
	_ driver.NamedValueChecker  = (*recConn)(nil)
)

func (c *recConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *recConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var s driver.Stmt
	var err error
	if p, ok := c.c.(driver.ConnPrepareContext); ok {
		s, err = p.PrepareContext(ctx, query)
	} else {
		s, err = c.c.Prepare(query)
	}
	if err != nil {
		return nil, c.rec.record(query, err)
	}
	return &recStmt{s, query, c.rec}, nil
}

func (c *recConn) Close() error { return c.c.Close() }

// Begin is required by driver.Conn; database/sql calls BeginTx.
func (c *recConn) Begin() (driver.Tx, error) {
	//lint:ignore SA1019 passes on what driver.Conn requires
	return c.c.Begin()
}

func (c *recConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.c.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	//lint:ignore SA1019 the fallback for drivers without BeginTx
	return c.c.Begin()
}

func (c *recConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.c.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := e.ExecContext(ctx, query, args)
	return r, c.rec.record(query, err)
}

func (c *recConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.c.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := q.QueryContext(ctx, query, args)
	return r, c.rec.record(query, err)
}

func (c *recConn) Ping(ctx context.Context) error {
	if p, ok := c.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *recConn) ResetSession(ctx context.Context) error {
	if r, ok := c.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *recConn) IsValid() bool {
	if v, ok := c.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *recConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.c.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type recStmt struct {
	s     driver.Stmt
	query string
	rec   *Recorder
}

var (
	_ driver.StmtExecContext  = (*recStmt)(nil)
	_ driver.StmtQueryContext = (*recStmt)(nil)
)

func (s *recStmt) Close() error  { return s.s.Close() }
func (s *recStmt) NumInput() int { return s.s.NumInput() }

func (s *recStmt) Exec(args []driver.Value) (driver.Result, error) {
	//lint:ignore SA1019 passes on what driver.Stmt requires
	r, err := s.s.Exec(args)
	return r, s.rec.record(s.query, err)
}

func (s *recStmt) Query(args []driver.Value) (driver.Rows, error) {
	//lint:ignore SA1019 passes on what driver.Stmt requires
	r, err := s.s.Query(args)
	return r, s.rec.record(s.query, err)
}

func (s *recStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.s.(driver.StmtExecContext); ok {
		r, err := e.ExecContext(ctx, args)
		return r, s.rec.record(s.query, err)
	}
	vals, err := values(args)
	if err != nil {
		return nil, err
	}
	return s.Exec(vals)
}

func (s *recStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.s.(driver.StmtQueryContext); ok {
		r, err := q.QueryContext(ctx, args)
		return r, s.rec.record(s.query, err)
	}
	vals, err := values(args)
	if err != nil {
		return nil, err
	}
	return s.Query(vals)
}

func values(named []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(named))
	for i, nv := range named {
		if nv.Name != "" {
			return nil, errors.New("sqlpool: the driver does not support named parameters")
		}
		out[i] = nv.Value
	}
	return out, nil
}
