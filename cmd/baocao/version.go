package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// version is the release, set at build time:
//
//	go build -ldflags "-X main.version=v1.4.0" ./cmd/baocao
//
// Empty: the module version and VCS revision Go stamped into the binary
// (runtime/debug.ReadBuildInfo).
var version string

// buildVersion says which build this is: the version given at build time,
// or what Go recorded (the module's version, "(devel)" for a build in a
// checkout, with the commit, its time and whether the tree had changes).
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	v := version
	if v == "" {
		v = "(unknown)"
		if ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	var extra []string
	if ok {
		var rev, at, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if modified == "true" {
				rev += "+changes"
			}
			extra = append(extra, "commit "+rev)
		}
		if at != "" {
			extra = append(extra, at)
		}
	}
	extra = append(extra, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return v + " (" + strings.Join(extra, ", ") + ")"
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "baocao", buildVersion())
	return nil
}

// cmdHealth asks a running instance whether it is ready (GET /readyz):
// the container's health check, as the image has no curl. Exit 0 when it
// answers 200, else 1.
func cmdHealth(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	u := fs.String("url", "", "address to ask (default: /readyz of BAOCAO_ADDR, a wildcard host asked on the loopback)")
	timeout := fs.Duration("timeout", 5*time.Second, "longest to wait for the answer")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usageError{"health: --timeout must be positive"}
	}
	if *u == "" {
		host, port, err := net.SplitHostPort(env("BAOCAO_ADDR", "127.0.0.1:8080"))
		if err != nil {
			return usageError{fmt.Sprintf("health: BAOCAO_ADDR: %v", err)}
		}
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		*u = "http://" + net.JoinHostPort(host, port) + "/readyz"
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *u, nil)
	if err != nil {
		return usageError{fmt.Sprintf("health: --url: %v", err)}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s: %s", *u, res.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(stdout, "%s: ready\n", *u)
	return nil
}
