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

// Cluster is a throwaway PostgreSQL cluster.
type Cluster struct {
	dir, data, sock, opts string
	wrap                  func(name string, args ...string) *exec.Cmd
	// DSN reaches the cluster's postgres database.
	DSN string
}

// start initialises and starts a cluster in a temporary directory.
func start() (string, func(), error) {
	c, err := newCluster()
	if err != nil {
		return "", nil, err
	}
	return c.DSN, c.remove, nil
}

// NewCluster initialises and starts a throwaway cluster in a temporary
// directory, for programs (cmd/loadtest); Remove stops and deletes it.
func NewCluster() (*Cluster, error) { return newCluster() }

// Remove stops the cluster at once and deletes its directory.
func (c *Cluster) Remove() { c.remove() }

// CreateDatabase creates a database in the cluster and returns its DSN.
func (c *Cluster) CreateDatabase(name string) (string, error) {
	admin, err := store.Open(store.Config{DatabaseURL: c.DSN})
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if err := admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return strings.Replace(c.DSN, "dbname=postgres", "dbname="+name, 1), nil
}

func newCluster() (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "baocao-pg-")
	if err != nil {
		return nil, err
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	if err := os.Mkdir(sock, 0o777); err != nil {
		return nil, err
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
			return nil, fmt.Errorf("running as root needs a postgres user: %w", err)
		}
		for _, p := range []string{dir, sock} {
			if err := exec.Command("chown", "postgres", p).Run(); err != nil {
				return nil, fmt.Errorf("chown %s: %w", p, err)
			}
		}
	}
	if out, err := wrap("initdb", "-D", data, "-A", "trust", "-U", "baocao", "-E", "UTF8", "--no-locale").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	c := &Cluster{dir: dir, data: data, sock: sock, wrap: wrap,
		opts: fmt.Sprintf("-c listen_addresses='' -k %s -c fsync=off -c full_page_writes=off -c max_connections=200", sock),
		DSN:  fmt.Sprintf("host=%s user=baocao dbname=postgres sslmode=disable", sock)}
	if err := c.Start(); err != nil {
		return nil, err
	}
	return c, nil
}

// Start starts the cluster (again) and waits until it accepts connections.
func (c *Cluster) Start() error {
	if out, err := c.wrap("pg_ctl", "-D", c.data, "-o", c.opts, "-l", filepath.Join(c.dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return nil
}

// Stop stops the cluster in mode (smart, fast or immediate): with fast,
// the server ends every session (57P01) as a restart does.
func (c *Cluster) Stop(mode string) error {
	if out, err := c.wrap("pg_ctl", "-D", c.data, "-m", mode, "-w", "stop").CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

func (c *Cluster) remove() {
	_ = c.Stop("immediate")
	_ = os.RemoveAll(c.dir)
}

// OwnCluster starts a cluster for one test, which may stop and start it;
// it is removed at the end of the test. Skipped (or failed, see
// BAOCAO_REQUIRE_POSTGRES) without PostgreSQL.
func OwnCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := newCluster()
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required: %v", err)
		}
		t.Skipf("PostgreSQL not available: %v", err)
	}
	t.Cleanup(c.remove)
	return c
}

// Store returns a store on a new, migrated database of the cluster.
func (c *Cluster) Store(t testing.TB) *store.Store {
	t.Helper()
	return open(t, newDatabase(t, c.DSN), true)
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
	return newDatabase(t, baseDSN)
}

// newDatabase creates a database in the cluster of dsn.
func newDatabase(t testing.TB, dsn string) store.Config {
	t.Helper()
	url, err := (&Cluster{DSN: dsn}).CreateDatabase(fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	return store.Config{DatabaseURL: url}
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
