// Command baocao renders Vietnamese official documents (plans, reports and
// their appendix tables) as PDF and Excel.
//
//	baocao serve    the HTTP API and downloads (README: "Configuration")
//	baocao migrate  apply database migrations
//	baocao version  the build's version
//	baocao worker   work the background jobs (README: "Background jobs")
//	baocao render --in PLAN.json --doc plan|appendix --format pdf|xlsx|docx --out FILE
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	oneShot = len(os.Args) > 1 && (os.Args[1] == "render" || os.Args[1] == "report")
	if oneShot && os.Getenv("GOGC") == "" {
		// A one-shot render allocates some megabytes (parsed fonts, the
		// font repertoire cut, the document) into a heap that starts from
		// nothing, so the collector waits for a heap 2.5 times the live
		// one rather than twice. Measured (baocao-render, README:
		// "Memory"): a 1,000-task appendix 29 MB and 110 ms of CPU at
		// 150, 31 MB and 95 ms at 400 (the setting before, for the CPU),
		// 29 MB and 112 ms at 100; a 100-task one 23 MB and 33 ms at 150,
		// 27 MB and 27 ms at 400. Long documents are bounded by the soft
		// memory limit (boundHeap) whatever this is.
		debug.SetGCPercent(150)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError is a mistake in the command line: the usage is printed.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run executes a command line and returns the exit code: 0 on success, 1
// when the work failed, 2 for a bad command line.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "render":
		err = cmdRender(args[1:], stdin, stdout, stderr)
	case "serve":
		err = cmdServe(args[1:], stderr)
	case "migrate":
		err = cmdMigrate(args[1:], stderr)
	case "worker":
		err = cmdWorker(args[1:], stderr)
	case "report":
		err = cmdReport(args[1:], stdout, stderr)
	case "user":
		err = cmdUser(args[1:], stdin, stdout, stderr)
	case "key":
		err = cmdKey(args[1:], stdout, stderr)
	case "version":
		err = cmdVersion(args[1:], stdout, stderr)
	case "health":
		err = cmdHealth(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "baocao: %v\n\n%s", err, usage)
		return 2
	}
	fmt.Fprintf(stderr, "baocao: %v\n", err)
	return 1
}
