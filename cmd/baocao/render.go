package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/docx"
	"baocao/reports/pdf"
	"baocao/reports/xlsx"
)

func cmdRender(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the document as JSON (the API's form); - for standard input")
	kind := fs.String("doc", "plan", "what to render: plan (the whole document) or appendix")
	format := fs.String("format", "", "pdf, xlsx or docx (default: from --out's extension, else pdf)")
	out := fs.String("out", "", "output file; - for standard output (default: the input name with the format's extension)")
	fontDir := fs.String("fonts", os.Getenv("BAOCAO_FONTS"), "directory with another TrueType family (Regular, Bold, Italic, BoldItalic); default: the embedded Liberation Serif")
	pdfa := fs.Bool("pdfa", false, "write the PDF as PDF/A-2b (the archive's format)")
	ev := &envReader{}
	maxInput := addMaxInput(fs, ev)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if err := checkMaxInput("render", *maxInput, ev); err != nil {
		return err
	}
	decode := func(r io.Reader) (*doc.Document, error) { return decodeLimited(r, *maxInput) }
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("render: unexpected argument %q", fs.Arg(0))}
	}
	if *in == "" {
		return usageError{"render: --in is required"}
	}
	if *kind != "plan" && *kind != "appendix" {
		return usageError{fmt.Sprintf("render: --doc must be plan or appendix, not %q", *kind)}
	}
	f := *format
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if f != "xlsx" && f != "docx" {
			f = "pdf"
		}
	}
	if f != "pdf" && f != "xlsx" && f != "docx" {
		return usageError{fmt.Sprintf("render: --format must be pdf, xlsx or docx, not %q", f)}
	}
	if f == "xlsx" && *kind == "plan" {
		return usageError{"render: Excel holds appendix tables: use --doc appendix with --format xlsx"}
	}

	var d *doc.Document
	var err error
	if *in == "-" {
		d, err = decode(stdin)
		if err != nil {
			var ve *doc.ValidationError
			if errors.As(err, &ve) {
				return fmt.Errorf("render: standard input is not a valid document:%s", fieldList(ve))
			}
			return fmt.Errorf("render: %w", err)
		}
	} else if d, err = decodeFile(*in, decode); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	fam, err := loadFonts(*fontDir)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	source := *in
	if source == "-" {
		source = "standard input"
	}
	if err := undrawable(source, d.Undrawable(fam)); err != nil {
		return fmt.Errorf("render: %w", err)
	}

	dest := *out
	if dest == "" {
		if *in == "-" {
			dest = "-"
		} else {
			suffix := ""
			if *kind == "appendix" {
				suffix = "-appendix"
			}
			dest = strings.TrimSuffix(*in, filepath.Ext(*in)) + suffix + "." + f
		}
	}
	warn := func() {
		if *kind != "appendix" && f != "xlsx" {
			for _, w := range d.Warnings() {
				fmt.Fprintf(stderr, "baocao: cảnh báo (%s): %s\n", w.Code, w.Vietnamese)
			}
		}
	}
	if f == "pdf" {
		// Written as it is made, page by page (reports/pdf: WriteDocument):
		// the file is never held whole in memory.
		r := pdfRenderer(fam)
		if *pdfa {
			r = r.PDFA()
		}
		write := r.WriteDocument
		if *kind == "appendix" {
			write = r.WriteAppendix
		}
		return streamOutput(dest, func(w io.Writer) error {
			if _, err := write(context.Background(), w, d); err != nil {
				return fmt.Errorf("render %s: %w", *in, err)
			}
			warn()
			return nil
		}, stdout, stderr)
	}
	var data []byte
	switch {
	case f == "xlsx":
		data, err = xlsx.Appendices(d, xlsx.Options{FontName: fam.SpreadsheetName(), Family: fam})
	case *kind == "appendix":
		data, err = docx.New(fam).Appendix(context.Background(), d)
	default:
		data, err = docx.New(fam).Document(context.Background(), d)
	}
	if err != nil {
		return fmt.Errorf("render %s: %w", *in, err)
	}
	warn()
	return writeOutput(dest, data, stdout, stderr)
}

// addMaxInput adds --max-input (env BAOCAO_MAX_INPUT): the largest
// document read, in bytes, 8 MiB by default, as the server's
// --max-body-bytes.
func addMaxInput(fs *flag.FlagSet, ev *envReader) *int64 {
	return fs.Int64("max-input", ev.Int("BAOCAO_MAX_INPUT", doc.MaxDocumentBytes),
		"largest input document in bytes (env BAOCAO_MAX_INPUT)")
}

// decodeLimited decodes a document of at most limit bytes; a larger one
// is refused with the way to raise the limit.
func decodeLimited(r io.Reader, limit int64) (*doc.Document, error) {
	data, err := doc.ReadInput(r, limit)
	if errors.Is(err, doc.ErrTooLarge) {
		return nil, fmt.Errorf("the document is larger than %d bytes (raise the limit with --max-input or BAOCAO_MAX_INPUT)", limit)
	}
	if err != nil {
		return nil, fmt.Errorf("read document: %w", err)
	}
	boundHeap(len(data))
	return doc.DecodeBytes(data)
}

// oneShot is set by main for the render and report commands, whose
// process renders one document and exits (tests call run directly).
var oneShot bool

// boundHeap gives a one-shot render a soft memory limit (unless GOMEMLIMIT
// is set) of 40 MiB plus twice its input. A render keeps the document
// (about its input's size once decoded; both at once while it is
// decoded) and a working set that does not grow with it (the rows being
// typeset and drawn, the pages being deflated: about 15 MB); a PDF is
// written to its file as it is made (reports/pdf WriteAppendix), never
// held. So the limit only makes the collector work harder than GOGC (see
// main) asks on a document long enough to need it, and bounds the process
// (README: "Benchmarks", "Memory": a 50,000-task appendix in about 97 MB,
// its file 26 MB; 119 MB with 64 MiB plus twice the input, the limit when
// the file was held, for the same CPU time within the noise; 86 MB at
// 68 MiB for 25% more CPU).
func boundHeap(input int) {
	if !oneShot || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(40<<20 + 2*int64(input))
}

// checkMaxInput refuses a --max-input that is not positive and an
// unreadable BAOCAO_MAX_INPUT.
func checkMaxInput(cmd string, v int64, ev *envReader) error {
	if len(ev.errs) > 0 {
		return usageError{cmd + ": " + strings.Join(ev.errs, "; ")}
	}
	if v <= 0 {
		return usageError{fmt.Sprintf("%s: --max-input must be a positive number of bytes, not %d", cmd, v)}
	}
	return nil
}

// fieldList lists validation problems one per line.
func fieldList(ve *doc.ValidationError) string {
	var b strings.Builder
	for _, fe := range ve.Fields {
		field := fe.Field
		if field == "" {
			field = "(document)"
		}
		fmt.Fprintf(&b, "\n  %s: %s", field, fe.Problem)
	}
	return b.String()
}

// loadFonts returns the embedded family, or the one in dir.
func loadFonts(dir string) (*fonts.Family, error) {
	if dir != "" {
		return fonts.LoadDir(dir)
	}
	return fonts.Default()
}

func pdfRenderer(fam *fonts.Family) *pdf.Renderer { return pdf.New(fam) }
