package doc

import (
	"fmt"
	"strings"

	"baocao/reports/richtext"
)

// CellMarkdown is the Markdown of one cell of an appendix table: task i
// (from 0), column field. Both renderers print cells from it.
func (a *Appendix) CellMarkdown(i int, field string) string {
	t := &a.Tasks[i]
	switch field {
	case FieldSTT:
		return fmt.Sprint(i + 1)
	case FieldContent:
		return t.Content
	case FieldLead:
		return a.agencies(t.Lead)
	case FieldCooperating:
		return a.agencies(t.Cooperating)
	case FieldOutput:
		return t.Output
	case FieldDeadline:
		return escape(t.Deadline.Text)
	case FieldNote:
		return t.Note
	}
	return ""
}

// agencies lists agency names one per line: a single name as it is, several
// as "- A;" … "- Z." (or "1. A" … when the plan numbers them).
func (a *Appendix) agencies(names []string) string {
	return AgencyList(names, a.AgencyList == "number")
}

// AgencyList is the Markdown of a table cell listing agencies one per
// line: a single name as it is, several as "- A;" … "- Z." or, numbered,
// "1. A" …; every table that lists agencies uses it.
func AgencyList(names []string, numbered bool) string {
	if len(names) == 1 {
		return escape(names[0])
	}
	lines := make([]string, len(names))
	for i, n := range names {
		n = strings.TrimRight(n, ";,. ")
		if numbered {
			lines[i] = fmt.Sprintf("%d. %s", i+1, escape(n))
			continue
		}
		end := ";"
		if i == len(names)-1 {
			end = "."
		}
		lines[i] = "- " + escape(n) + end
	}
	return strings.Join(lines, "\n")
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `\<`, `[`, `\[`, `#`, `\#`)

// EscapeMarkdown keeps plain text (agency names, deadlines) from being
// read as Markdown.
func EscapeMarkdown(s string) string { return escape(s) }

func escape(s string) string {
	s = mdEscaper.Replace(s)
	// A leading "1. ", "- " or "+ " would start a list.
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		s = `\` + s
	}
	for i := 0; i < len(s) && i < 10; i++ {
		if s[i] >= '0' && s[i] <= '9' {
			continue
		}
		if i > 0 && (s[i] == '.' || s[i] == ')') {
			s = s[:i] + `\` + s[i:]
		}
		break
	}
	return s
}

// PrintedLines is the document's text in the order the PDF prints it, one
// line per printed line or paragraph, without styles: what a reader of the
// paper copy sees. Tests compare it with the seed texts.
func (d *Document) PrintedLines() []string {
	d = d.Printed()
	var out []string
	if d.PromulgatedBy != nil {
		out = append(out, d.PromulgatedBy.PrintedLines()...)
	}
	parent, issuing := d.Agency.HeaderLines()
	out = append(out, parent...)
	out = append(out, issuing...)
	if d.PromulgatedBy == nil {
		out = append(out, d.NumberLine())
	}
	out = append(out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
	if d.PromulgatedBy == nil {
		out = append(out, d.DateLine())
	}
	out = append(out, strings.ToUpper(d.KindName()), d.Title)
	if l := d.PromulgationLine(); l != "" {
		out = append(out, l)
	}
	if d.Authority != "" {
		out = append(out, d.Authority)
	}
	out = append(out, d.LegalBases...)
	out = append(out, d.AddresseeLines()...)
	for _, b := range richtext.Parse(d.Body) {
		out = append(out, b.Text())
	}
	if len(d.Recipients) > 0 || d.Archive != "" {
		out = append(out, "Nơi nhận:")
		out = append(out, d.RecipientLines()...)
	}
	if s := d.Signature; s != nil {
		out = append(out, s.Authority...)
		out = append(out, s.Signer)
	}
	for i := range d.Appendices {
		a := &d.Appendices[i]
		out = append(out, d.AppendixHeading(i), a.Title, d.AttachedLine())
		cols := a.AppendixColumns()
		for _, c := range cols {
			out = append(out, c.Label)
		}
		for t := range a.Tasks {
			for _, c := range cols {
				out = append(out, richtext.Plain(a.CellMarkdown(t, c.Field)))
			}
		}
	}
	return out
}
