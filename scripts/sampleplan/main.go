// Command sampleplan writes a generated plan of n tasks (reports/sample) as
// JSON, the API's form, for the benchmark scripts:
//
//	go run ./scripts/sampleplan -tasks 10000 > plan.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"baocao/reports/sample"
)

func main() {
	n := flag.Int("tasks", 1000, "number of tasks")
	flag.Parse()
	if *n < 1 {
		fmt.Fprintln(os.Stderr, "sampleplan: -tasks must be at least 1")
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sample.Plan(*n)); err != nil {
		fmt.Fprintln(os.Stderr, "sampleplan:", err)
		os.Exit(1)
	}
}
