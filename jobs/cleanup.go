package jobs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"baocao/api/store"

	"github.com/riverqueue/river"
)

// CleanupArgs removes what has expired (periodic): sessions, job results
// and inputs, baocao's temporary files. River removes its own finished
// jobs (completed after a day, or the result time if longer; failed
// ones after a week).
type CleanupArgs struct{}

// Kind is the job's kind.
func (CleanupArgs) Kind() string { return kindCleanup }

// InsertOpts: a failed clean-up is tried twice more; the next hour's
// comes anyway.
func (CleanupArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// tempPrefixes are the names of baocao's temporary files (an export
// being written, an output file being replaced).
var tempPrefixes = []string{"baocao-export-", ".baocao-"}

// Cleaned counts what Cleanup removed.
type Cleaned struct {
	store.Swept
	Files int
}

// Cleanup removes the expired sessions and job results, job inputs
// older than the result time (a job that never ran), and baocao's
// temporary files older than TempMaxAge (left by a process that died).
func (s *Service) Cleanup(ctx context.Context) (Cleaned, error) {
	now := s.now()
	sw, err := s.st.DeleteExpired(ctx, now.Add(-s.cfg.ResultTTL))
	if err != nil {
		return Cleaned{}, err
	}
	files := 0
	entries, err := os.ReadDir(s.cfg.TempDir)
	if err != nil {
		s.log.Warn("temporary directory unreadable", "dir", s.cfg.TempDir, "error", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !hasPrefix(e.Name(), tempPrefixes) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < s.cfg.TempMaxAge { // files age by the wall clock
			continue
		}
		if err := os.Remove(filepath.Join(s.cfg.TempDir, e.Name())); err == nil {
			files++
		}
	}
	s.metrics.cleaned.WithLabelValues("sessions").Add(float64(sw.Sessions))
	s.metrics.cleaned.WithLabelValues("results").Add(float64(sw.Results))
	s.metrics.cleaned.WithLabelValues("inputs").Add(float64(sw.Inputs))
	s.metrics.cleaned.WithLabelValues("files").Add(float64(files))
	if sw.Sessions+sw.Results+sw.Inputs > 0 || files > 0 {
		s.log.Info("cleaned up", "sessions", sw.Sessions, "results", sw.Results, "inputs", sw.Inputs, "files", files)
	}
	return Cleaned{Swept: sw, Files: files}, nil
}

func hasPrefix(name string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
