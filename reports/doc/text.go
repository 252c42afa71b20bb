package doc

import (
	"fmt"
	"strings"

	"baocao/reports/vn"
)

// KindName is the kind's name: "Kế hoạch".
func (d *Document) KindName() string {
	if k, ok := KindOf(d.Kind); ok {
		return k.Name
	}
	return d.Kind
}

// FullSymbol is the symbol after the number: "KH-UBND"; a công văn's is
// the agency's alone ("UBND") unless Symbol adds the unit ("UBND-VX").
func (d *Document) FullSymbol() string {
	switch {
	case d.Symbol != "":
		return d.Symbol
	case d.IsLetter():
		return d.Agency.Symbol
	}
	return d.Kind + "-" + d.Agency.Symbol
}

// SubjectLine is a công văn's summary as it prints under the number:
// "V/v đôn đốc báo cáo …" ("" for other kinds, whose title is centred
// under the kind).
func (d *Document) SubjectLine() string {
	if !d.IsLetter() {
		return ""
	}
	return "V/v " + strings.TrimPrefix(d.Title, "V/v ")
}

// NumberAndSymbol is "15/KH-UBND", or "      /KH-UBND" for a draft.
func (d *Document) NumberAndSymbol() string {
	if d.Number > 0 {
		return Reference(d.Number, d.FullSymbol())
	}
	return vn.Blank + "/" + d.FullSymbol()
}

// Reference writes a registered number with its symbol as Decree 30 does
// (two digits at least): "01/BC-UBND". Every number printed or named goes
// through it.
func Reference(number int, symbol string) string { return fmt.Sprintf("%02d/%s", number, symbol) }

// NumberLine is the "Số: 15/KH-UBND" line of the header.
func (d *Document) NumberLine() string { return "Số: " + d.NumberAndSymbol() }

// DateLine is the place-and-date line: "Lai Châu, ngày 05 tháng 01 năm 2024".
func (d *Document) DateLine() string {
	return vn.DateLine(d.Agency.Place, d.Date.Year, d.Date.Month, d.Date.Day)
}

// IssuerName names the issuer in "của …" lines.
func (d *Document) IssuerName() string {
	switch {
	case d.Issuer != "":
		return d.Issuer
	case d.Agency.ShortName != "":
		return d.Agency.ShortName
	}
	return d.Agency.Name
}

// Reference cites the document: "Kế hoạch số 15/KH-UBND ngày 05 tháng 01
// năm 2024 của UBND tỉnh Lai Châu", with blanks while it is a draft.
func (d *Document) Reference() string {
	return fmt.Sprintf("%s số %s %s của %s", d.KindName(), d.NumberAndSymbol(),
		vn.DateWords(d.Date.Year, d.Date.Month, d.Date.Day), d.IssuerName())
}

// PromulgationLine is "(Ban hành kèm theo Quyết định số … của …)" for a
// document attached to a decision, or "".
func (d *Document) PromulgationLine() string {
	if d.PromulgatedBy == nil {
		return ""
	}
	return "(Ban hành kèm theo " + d.PromulgatedBy.Reference() + ")"
}

// HeaderLines returns the agency block of the header: the parent agency's
// lines (upright) and the issuing agency's lines (bold).
func (a *Agency) HeaderLines() (parent, issuing []string) {
	lines := func(a *Agency) []string {
		if len(a.Header) > 0 {
			return a.Header
		}
		return []string{vn.Upper(a.Name)}
	}
	if a.Parent != nil {
		parent = lines(a.Parent)
	}
	return parent, lines(a)
}

// AddresseeLines are the "Kính gửi:" lines: one line with a single
// addressee, else "Kính gửi:" and "- A;" … "- Z.".
func (d *Document) AddresseeLines() []string {
	switch len(d.Addressees) {
	case 0:
		return nil
	case 1:
		return []string{"Kính gửi: " + strings.TrimRight(d.Addressees[0], ";,. ") + "."}
	}
	out := []string{"Kính gửi:"}
	for i, a := range d.Addressees {
		end := ";"
		if i == len(d.Addressees)-1 {
			end = "."
		}
		out = append(out, "- "+strings.TrimRight(a, ";,. ")+end)
	}
	return out
}

// RecipientLines are the items under "Nơi nhận:": "- Bộ Nội vụ;" … "- Lưu: VT, KSTT.".
func (d *Document) RecipientLines() []string {
	var out []string
	for _, r := range d.Recipients {
		out = append(out, "- "+strings.TrimRight(r, ";,. ")+";")
	}
	if d.Archive != "" {
		out = append(out, "- Lưu: "+strings.TrimRight(d.Archive, ";. ")+".")
	}
	return out
}

// AppendixHeading is "Phụ lục", or "Phụ lục I", "Phụ lục II"… when the
// document has several.
func (d *Document) AppendixHeading(i int) string {
	if h := d.Appendices[i].Heading; h != "" {
		return h
	}
	if len(d.Appendices) == 1 {
		return "Phụ lục"
	}
	return "Phụ lục " + vn.Roman(i+1)
}

// AttachedLine is "(Kèm theo Kế hoạch số … của …)" under an appendix title;
// for a document issued by a decision it cites the decision: "(Kèm theo
// Kế hoạch ban hành kèm theo Quyết định số … của …)".
func (d *Document) AttachedLine() string {
	if p := d.PromulgatedBy; p != nil {
		return "(Kèm theo " + d.KindName() + " ban hành kèm theo " + p.Reference() + ")"
	}
	return "(Kèm theo " + d.Reference() + ")"
}

// AppendixColumns returns the appendix's columns, or the default ones.
func (a *Appendix) AppendixColumns() []Column {
	if len(a.Columns) > 0 {
		return a.Columns
	}
	return DefaultColumns()
}

// IsLandscape says whether the appendix is printed on landscape pages.
func (a *Appendix) IsLandscape() bool {
	if a.Landscape != nil {
		return *a.Landscape
	}
	return len(a.AppendixColumns()) > 4
}

// Printed is the document as it is printed: the appendices marked
// TrackOnly left out (a shallow copy when there are such; d itself
// otherwise). Every renderer of the document's pages starts from it.
func (d *Document) Printed() *Document {
	n := 0
	for _, a := range d.Appendices {
		if !a.TrackOnly {
			n++
		}
	}
	if n == len(d.Appendices) {
		return d
	}
	c := *d
	c.Appendices = make([]Appendix, 0, n)
	for _, a := range d.Appendices {
		if !a.TrackOnly {
			c.Appendices = append(c.Appendices, a)
		}
	}
	return &c
}
