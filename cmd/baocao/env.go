package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// env returns an environment variable or a default.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// envReader reads settings from the environment and collects those that
// could not be read; serve refuses to start with them rather than
// silently use a default.
type envReader struct{ errs []string }

// Bool reads true/false/1/0/yes/no (any case); anything else is an error.
func (e *envReader) Bool(name string, def bool) bool {
	s := os.Getenv(name)
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return def
	case "true", "1", "yes":
		return true
	case "false", "0", "no":
		return false
	}
	e.errs = append(e.errs, fmt.Sprintf("%s=%q is not true, false, 1, 0, yes or no", name, s))
	return def
}

func (e *envReader) Int(name string, def int64) int64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		e.errs = append(e.errs, fmt.Sprintf("%s=%q is not a positive integer", name, s))
		return def
	}
	return v
}

func (e *envReader) Duration(name string, def time.Duration) time.Duration {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		e.errs = append(e.errs, fmt.Sprintf("%s=%q is not a duration such as 30s", name, s))
		return def
	}
	return v
}
