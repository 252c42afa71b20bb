package main

import (
	"strings"
	"testing"
)

// TestServePoolFlags: pool sizes that make no pool stop the start.
func TestServePoolFlags(t *testing.T) {
	for _, args := range [][]string{{"--db-max-open", "0"}, {"--db-readers", "-1"}, {"--db-max-open", "5", "--db-max-idle", "6"},
		{"--db-conn-max-lifetime", "0s"}} {
		code, _, stderr := runCLI(t, "", append([]string{"serve", "--db", t.TempDir() + "/b.db"}, args...)...)
		if code != 2 || !strings.Contains(stderr, "--db-") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}
