//go:build !renderonly

package main

// usage is the full binary's (renderonly.go has baocao-render's).
const usage = `baocao: Vietnamese official documents as PDF and Excel

Usage:
  baocao serve [--addr 127.0.0.1:8080] [--db baocao.db | --database-url postgres://…] [--migrate] [flags]
  baocao migrate [--db FILE | --database-url URL]
  baocao worker [--db FILE | --database-url URL] [flags]   (background jobs without HTTP; see serve --workers)
  baocao render --in PLAN.json [--doc plan|appendix] [--format pdf|xlsx|docx] [--out FILE|-] [--fonts DIR] [--max-input BYTES]
  baocao report --in PLAN.json --progress PROGRESS.json --period 2024-Q1 [--format pdf|xlsx|docx] --out FILE [--max-input BYTES]
  baocao user add --username NAME --role admin|secretariat|reporter|auditor [--agency NAME] [--name "Full name"] [--email ADDRESS] [--password-stdin]
  baocao user passwd|disable|enable --username NAME;  baocao user list
  baocao key create --name NAME --scope render|admin|secretariat|reporter|auditor [--agency NAME] [--expires 2160h]
  baocao key list;  baocao key revoke ID
  baocao version                     the build's version
  baocao health [--url http://127.0.0.1:8080/readyz]   exit 0 when a running instance is ready
  (user and key take the database flags of migrate)

Run "baocao COMMAND --help" for a command's flags.
`
