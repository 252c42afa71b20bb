// Package baocao holds the data files the binary carries from the
// repository's top level: the seed plans of testdata/plans, the progress
// of testdata/progress and the agencies' aliases of testdata/agencies, loaded as demo data on a first start (Go can embed files only from a package's own
// directory or below, hence this package at the root).
package baocao

import "embed"

// SeedPlans holds testdata/plans/*.json, the demo progress data
// testdata/progress/*.json and the agencies with their aliases that a seed
// plan spells several ways, testdata/agencies/*.json.
//
//go:embed testdata/plans/*.json testdata/progress/*.json testdata/agencies/*.json
var SeedPlans embed.FS
