package sqlpool

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMigrationErrorText(t *testing.T) {
	stmtErr := errors.New(`ERROR: relation "customers" does not exist`)
	stmt := "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nINSERT INTO customers VALUES (2);\nSELECT 1;"
	for _, tc := range []struct {
		name   string
		failed []failure
		locate func(error) int
		err    error
		want   string
	}{{
		name:   "located",
		failed: []failure{{stmt, stmtErr}},
		locate: func(error) int { return 63 }, // the "customers" of line 3
		err:    fmt.Errorf("seed: %w", stmtErr),
		want: "migration 2 (pkg.seed) failed: seed: ERROR: relation \"customers\" does not exist\n" +
			"failing statement, at line 3 of 4:\n" +
			"\t      1 | CREATE TABLE a (x int);\n" +
			"\t      2 | INSERT INTO a VALUES (1);\n" +
			"\t=>    3 | INSERT INTO customers VALUES (2);\n" +
			"\t      4 | SELECT 1;",
	}, {
		name:   "not located",
		failed: []failure{{"DROP TABLE nothing", stmtErr}},
		err:    stmtErr,
		want:   "migration 2 (pkg.seed) failed: ERROR: relation \"customers\" does not exist\nfailing statement:\n\tDROP TABLE nothing",
	}, {
		name: "no statement",
		err:  errors.New("file not found"),
		want: "migration 2 (pkg.seed) failed: file not found",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Recorder{Locate: tc.locate, failed: tc.failed}
			err := r.Explain(2, "pkg.seed", tc.err)
			assert.Equal(t, tc.want, err.Error())
			assert.ErrorIs(t, err, tc.err)
		})
	}
}
