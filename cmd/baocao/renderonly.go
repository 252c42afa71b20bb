//go:build renderonly

package main

import "io"

// Built with -tags renderonly, the binary holds only the commands that
// render a file (render, report) and version, help and health: it links
// neither the server, the database drivers nor the background jobs, whose
// package initialisation and pages of code every start of the full binary
// pays (README: "Benchmarks", "Memory"). The other commands say where
// they are.

const usage = `baocao-render: Vietnamese official documents as PDF, Excel and Word, offline

Usage:
  baocao-render render --in PLAN.json [--doc plan|appendix] [--format pdf|xlsx|docx] [--out FILE|-] [--fonts DIR] [--max-input BYTES]
  baocao-render report --in PLAN.json --progress PROGRESS.json --period 2024-Q1 [--format pdf|xlsx|docx] --out FILE [--max-input BYTES]
  baocao-render version              the build's version
  baocao-render health [--url http://127.0.0.1:8080/readyz]   exit 0 when a running instance is ready

This is baocao built with -tags renderonly: the same render and report,
without the server, the database and the background jobs (use baocao).
Run "baocao-render COMMAND --help" for a command's flags.
`

func elsewhere(cmd string) error {
	return usageError{cmd + " is not in baocao-render, which only renders files: use baocao " + cmd}
}

func cmdServe([]string, io.Writer) error                      { return elsewhere("serve") }
func cmdMigrate([]string, io.Writer) error                    { return elsewhere("migrate") }
func cmdWorker([]string, io.Writer) error                     { return elsewhere("worker") }
func cmdUser([]string, io.Reader, io.Writer, io.Writer) error { return elsewhere("user") }
func cmdKey([]string, io.Writer, io.Writer) error             { return elsewhere("key") }
