// Package mysqlkit is what the mysql and mariadb modules share: the
// server's Spec, readiness, migrations, and databases per test cloned from
// a template by replaying its DDL. Both modules are thin typed layers over
// it.
package mysqlkit
