package mysql_test

import (
	"context"
	"database/sql"
	"sync/atomic"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/internal/leaktest"
	"github.com/testdock/testdock/modules/mysql"
)

func TestMain(m *testing.M) {
	fixture.Main(m, leaktest.Find)
}

// migrations counts the runs of the shared server's migration.
var migrations atomic.Int32

func sharedMigrate(ctx context.Context, db *sql.DB) error {
	migrations.Add(1)
	return migrate(ctx, db)
}

// migrate makes a schema with every kind of object the template copies.
// big_orders uses order_totals, which comes after it in name order.
func migrate(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `
		CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE);
		CREATE TABLE orders (
			id BIGINT AUTO_INCREMENT PRIMARY KEY,
			customer_id INT NOT NULL,
			item VARCHAR(100) NOT NULL,
			qty INT NOT NULL DEFAULT 1,
			price DECIMAL(10,2) NOT NULL DEFAULT 0,
			total DECIMAL(12,2) AS (qty * price) STORED,
			created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
			CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
			KEY by_item (item)
		);
		CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(200));
		CREATE TABLE settings (name VARCHAR(50) PRIMARY KEY, value VARCHAR(50));
		INSERT INTO settings VALUES ('currency', 'EUR');
		INSERT INTO customers (name) VALUES ('ann'), ('bob');
		CREATE VIEW order_totals AS SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id;
		CREATE VIEW big_orders AS SELECT * FROM order_totals WHERE total > 100;
		CREATE FUNCTION with_tax(amount DECIMAL(12,2)) RETURNS DECIMAL(12,2) DETERMINISTIC RETURN amount * 1.2;
		CREATE PROCEDURE add_customer(IN n VARCHAR(100)) BEGIN INSERT INTO customers (name) VALUES (n); END;
		CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (what) VALUES (CONCAT('order ', NEW.id, ' ', NEW.item));`)
	return err
}

// shared is the server of the tests that share one.
var shared = mysql.Shared(mysql.WithMigrations(sharedMigrate))
