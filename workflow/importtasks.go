package workflow

import (
	"fmt"

	"baocao/reports/doc"
	"baocao/reports/importxlsx"
)

// ImportMode says what imported tasks do to an appendix's tasks.
type ImportMode string

// The import modes.
const (
	ImportAppend  ImportMode = "append"  // after the tasks there (the default)
	ImportReplace ImportMode = "replace" // instead of them
)

// ParseImportMode reads a mode ("" is append).
func ParseImportMode(v string) (ImportMode, error) {
	switch ImportMode(v) {
	case "", ImportAppend:
		return ImportAppend, nil
	case ImportReplace:
		return ImportReplace, nil
	}
	return "", invalid(doc.FieldError{Field: "mode", Problem: fmt.Sprintf("must be append or replace, not %q", v)})
}

// RowsError refuses a spreadsheet some rows of which could not be read:
// nothing is stored.
type RowsError struct{ Rows []importxlsx.RowError }

func (e *RowsError) Error() string {
	return fmt.Sprintf("%d rows could not be read; nothing was stored", len(e.Rows))
}

// CheckImport applies the rules to a task table read from a spreadsheet
// (importxlsx.Read): the editors import; the text rule at the door (a
// character the font cannot draw refuses its row); every row must be
// read (*RowsError), and there must be at least one task.
func (w *Service) CheckImport(actor Actor, res *importxlsx.Result) error {
	if err := actor.may("import tasks", editors...); err != nil {
		return err
	}
	res.CheckFont(w.Fonts)
	if len(res.Errors) > 0 {
		return &RowsError{Rows: res.Errors}
	}
	if len(res.Tasks) == 0 {
		return invalid(doc.FieldError{Field: "file", Problem: "the table has no task rows"})
	}
	return nil
}

// ImportInto puts tasks into appendix n of d (a first appendix is made
// for a plan without one), appended or replacing its tasks; from is the
// index of the first one put. An appendix d does not have is refused.
func ImportInto(d *doc.Document, n int, mode ImportMode, tasks []doc.Task) (from int, fe *doc.FieldError) {
	if n > len(d.Appendices) || (n == len(d.Appendices) && n > 0) {
		return 0, &doc.FieldError{Field: "appendix", Problem: fmt.Sprintf("the plan has %d appendices", len(d.Appendices))}
	}
	if len(d.Appendices) == 0 {
		d.Appendices = []doc.Appendix{FirstAppendix(d)}
	}
	a := &d.Appendices[n]
	if mode == ImportReplace {
		a.Tasks = nil
	}
	from = len(a.Tasks)
	a.Tasks = append(a.Tasks, tasks...)
	return from, nil
}
