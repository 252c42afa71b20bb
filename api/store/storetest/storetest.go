// Package storetest runs tests against both databases baocao supports: a
// temporary SQLite file and a throwaway PostgreSQL cluster (initdb and
// pg_ctl on a temporary directory, reached over a Unix socket). Without
// PostgreSQL server binaries the PostgreSQL half is skipped, unless
// BAOCAO_REQUIRE_POSTGRES=1 (set by .ci/run), where it fails.
package storetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"baocao/api/store"
)

var (
	once    sync.Once
	baseDSN string
	pgErr   error
	stopPG  func()
	dbSeq   atomic.Int64
)

// binDir finds the PostgreSQL server binaries.
func binDir() (string, error) {
	if d := os.Getenv("BAOCAO_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server binaries (install the postgresql package or set BAOCAO_PG_BIN)")
}

// start initialises and starts a cluster in a temporary directory.
func start() (string, func(), error) {
	bin, err := binDir()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "baocao-pg-")
	if err != nil {
		return "", nil, err
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	if err := os.Mkdir(sock, 0o777); err != nil {
		return "", nil, err
	}
	// initdb refuses to run as root: run the server as "postgres" then.
	wrap := func(name string, args ...string) *exec.Cmd {
		if os.Geteuid() == 0 {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...)
		}
		return exec.Command(filepath.Join(bin, name), args...)
	}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return "", nil, fmt.Errorf("running as root needs a postgres user: %w", err)
		}
		for _, p := range []string{dir, sock} {
			if err := exec.Command("chown", "postgres", p).Run(); err != nil {
				return "", nil, fmt.Errorf("chown %s: %w", p, err)
			}
		}
	}
	if out, err := wrap("initdb", "-D", data, "-A", "trust", "-U", "baocao", "-E", "UTF8", "--no-locale").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -c fsync=off -c full_page_writes=off -c max_connections=200", sock)
	if out, err := wrap("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return "", nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	stop := func() {
		_ = wrap("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(dir)
	}
	return fmt.Sprintf("host=%s user=baocao dbname=postgres sslmode=disable", sock), stop, nil
}

// Stop stops the cluster, if one was started; call it from TestMain.
func Stop() {
	if stopPG != nil {
		stopPG()
	}
}

// Postgres returns a store on a new, migrated database of the throwaway
// cluster.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, PostgresConfig(t), true)
}

// PostgresConfig creates a new, empty database in the throwaway cluster
// and returns its configuration.
func PostgresConfig(t testing.TB) store.Config {
	t.Helper()
	once.Do(func() { baseDSN, stopPG, pgErr = start() })
	if pgErr != nil {
		if os.Getenv("BAOCAO_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required: %v", pgErr)
		}
		t.Skipf("PostgreSQL not available: %v", pgErr)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	admin, err := store.Open(store.Config{DatabaseURL: baseDSN})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	return store.Config{DatabaseURL: strings.Replace(baseDSN, "dbname=postgres", "dbname="+name, 1)}
}

// open opens and migrates a store closed at the end of the test.
func open(t testing.TB, cfg store.Config, migrate bool) *store.Store {
	t.Helper()
	s, err := store.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if !migrate {
		return s
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// SQLite returns a store on a new, migrated SQLite file.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, SQLiteConfig(t), true)
}

// SQLiteConfig returns the configuration of a new SQLite file.
func SQLiteConfig(t testing.TB) store.Config {
	return store.Config{SQLitePath: filepath.Join(t.TempDir(), "baocao.db")}
}

// Open opens and migrates a store on cfg, closed at the end of the test
// (two stores on one database stand for two processes).
func Open(t testing.TB, cfg store.Config) *store.Store {
	t.Helper()
	return open(t, cfg, true)
}

// Each runs fn as two subtests, on SQLite and on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
