package sqlpool

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/testdock/testdock/fixture"
)

// InitDir is where the official postgres, mysql and mariadb images look
// for init scripts.
const InitDir = "/docker-entrypoint-initdb.d"

// InitScripts reads the host files at paths into fixture files for InitDir,
// numbered so that the entrypoint (which runs them in name order) keeps the
// order given. Executable files stay executable.
func InitScripts(paths []string) ([]fixture.File, error) {
	files := make([]fixture.File, 0, len(paths))
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("init script: %w", err)
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("init script: %w", err)
		}
		files = append(files, fixture.File{
			Path:    fmt.Sprintf("%s/%03d-%s", InitDir, i+1, filepath.Base(p)),
			Content: string(b),
			Mode:    st.Mode().Perm() | 0o444,
		})
	}
	return files, nil
}

// FilesKey is the part of a template key that init scripts make: their
// names and contents.
func FilesKey(files []fixture.File) []string {
	var parts []string
	for _, f := range files {
		parts = append(parts, f.Path, f.Content)
	}
	return parts
}
