package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"baocao/reports/doc"
	"baocao/reports/docx"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/report"
	"baocao/templates"
	"baocao/workflow"
)

// cmdReport renders a periodic report offline, from a plan and a progress
// file.
func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the plan as JSON (the API's form)")
	prog := fs.String("progress", "", "progress file (see testdata/progress): submissions by task number")
	code := fs.String("period", "", "reporting period: 2024-Q1 … 2024-Q4, 2024-H1, 2024-9M, 2024-Y")
	format := fs.String("format", "pdf", "pdf, xlsx or docx")
	out := fs.String("out", "", "output file; - for standard output")
	narrative := fs.String("narrative", "", "optional JSON with the narrative parts: assessment, shortcomings, causes, directions, proposals")
	asOf := fs.String("as-of", "", "day the board is computed for (YYYY-MM-DD); default: the period's due date")
	tplDir := fs.String("templates", os.Getenv("BAOCAO_TEMPLATES"), "directory overriding the report templates (env BAOCAO_TEMPLATES)")
	fontDir := fs.String("fonts", os.Getenv("BAOCAO_FONTS"), "directory with another TrueType family")
	ev := &envReader{}
	maxInput := addMaxInput(fs, ev)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkMaxInput("report", *maxInput, ev); err != nil {
		return err
	}
	switch {
	case *in == "" || *prog == "" || *code == "" || *out == "":
		return usageError{"report: --in, --progress, --period and --out are required"}
	case *format != "pdf" && *format != "xlsx" && *format != "docx":
		return usageError{fmt.Sprintf("report: --format must be pdf, xlsx or docx, not %q", *format)}
	}
	p, err := period.Parse(*code)
	if err != nil {
		return usageError{"report: --period: " + err.Error()}
	}
	d, err := decodeFile(*in, func(r io.Reader) (*doc.Document, error) { return decodeLimited(r, *maxInput) })
	if err != nil {
		return err
	}
	progress.TaskIDs(d)
	pf, err := decodeFile(*prog, progress.ReadFile)
	if err != nil {
		return err
	}
	subs, err := pf.Resolve(d)
	if err != nil {
		return fmt.Errorf("report: %s: %w", *prog, err)
	}
	fam, err := loadFonts(*fontDir)
	if err != nil {
		return err
	}
	if err := undrawable(*in, d.Undrawable(fam)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var errs []doc.FieldError
	for i := range pf.Submissions {
		pf.Submissions[i].Texts(func(field, v string) {
			if fe := doc.CheckText(fam, fmt.Sprintf("submissions[%d].%s", i, field), v); fe != nil {
				errs = append(errs, *fe)
			}
		})
	}
	if err := undrawable(*prog, errs); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var nar report.Narrative
	if *narrative != "" {
		n, err := decodeFile(*narrative, func(r io.Reader) (*report.Narrative, error) {
			var v report.Narrative
			b, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			return &v, doc.DecodeJSON(b, &v)
		})
		if err != nil {
			return err
		}
		nar = *n
		var errs []doc.FieldError
		for _, f := range []struct {
			name string
			v    *string
		}{{"assessment", &nar.Assessment}, {"shortcomings", &nar.Shortcomings}, {"causes", &nar.Causes},
			{"directions", &nar.Directions}, {"proposals", &nar.Proposals}} {
			cleanText(fam, f.name, f.v, &errs)
		}
		if err := undrawable(*narrative, errs); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	day := p.Due(d.ReportDueDay)
	if *asOf != "" {
		if day, err = time.Parse(time.DateOnly, *asOf); err != nil {
			return usageError{"report: --as-of must be a date YYYY-MM-DD"}
		}
		if err := period.CheckBoardAsOf(p, d.ReportDueDay, day, time.Now()); err != nil {
			return usageError{"report: --as-of: " + err.Error()}
		}
	}
	leads, err := pf.LeadAgencies(d)
	if err != nil {
		return fmt.Errorf("report: %s: %w", *prog, err)
	}
	for _, w := range report.Warnings(d) {
		fmt.Fprintln(stderr, "baocao: cảnh báo:", w)
	}
	set, err := templates.Load(*tplDir, report.Funcs())
	if err != nil {
		return err
	}
	built, err := workflow.BuildReport(context.Background(), workflow.Submitted{Submissions: subs, Leads: leads},
		workflow.Renderers{PDF: pdfRenderer(fam), DOCX: docx.New(fam), Fonts: fam}, set, fam,
		workflow.BuildInput{Plan: d, Period: p, AsOf: day, Narrative: nar, Formats: []workflow.Format{workflow.Format(*format)}})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	data := built.Files[workflow.Format(*format)]
	return writeOutput(*out, data, stdout, stderr)
}

// decodeFile opens a file and decodes it, wrapping errors with its name.
func decodeFile[T any](path string, decode func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := decode(f)
	if err != nil {
		var ve *doc.ValidationError
		if errors.As(err, &ve) {
			return zero, fmt.Errorf("%s is not valid:%s", path, fieldList(ve))
		}
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
