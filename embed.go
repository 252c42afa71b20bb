// Package baocao holds the data files the binary carries from the
// repository's top level: the seed plans of testdata/plans and the progress
// of testdata/progress, loaded as demo data on a first start (Go can embed files only from a package's own
// directory or below, hence this package at the root).
package baocao

import "embed"

// SeedPlans holds testdata/plans/*.json and the demo progress data
// testdata/progress/*.json.
//
//go:embed testdata/plans/*.json testdata/progress/*.json
var SeedPlans embed.FS
