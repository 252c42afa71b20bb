package doc

import "fmt"

// Texts calls fn with every text of the document that a renderer may
// print and a function giving its JSON path, so that a font check can name
// the field that holds a character the font lacks. The path is built only
// when asked for: a check of a large plan stays cheap.
func (d *Document) Texts(fn func(path func() string, text string)) {
	d.texts("", fn)
}

func (d *Document) texts(p string, emit func(path func() string, text string)) {
	fn := func(path string, text string) { emit(func() string { return path }, text) }
	list := func(name string, v []string) {
		for i, s := range v {
			emit(func() string { return fmt.Sprintf("%s%s[%d]", p, name, i) }, s)
		}
	}
	fn(p+"symbol", d.Symbol)
	fn(p+"issuer", d.Issuer)
	fn(p+"title", d.Title)
	fn(p+"authority", d.Authority)
	fn(p+"body", d.Body)
	fn(p+"archive", d.Archive)
	list("legal_bases", d.LegalBases)
	list("addressees", d.Addressees)
	list("recipients", d.Recipients)
	ap := p + "agency"
	for a := &d.Agency; a != nil; a = a.Parent {
		fn(ap+".name", a.Name)
		fn(ap+".short_name", a.ShortName)
		fn(ap+".symbol", a.Symbol)
		fn(ap+".place", a.Place)
		for i, s := range a.Header {
			fn(fmt.Sprintf("%s.header[%d]", ap, i), s)
		}
		ap += ".parent"
	}
	if s := d.Signature; s != nil {
		list("signature.authority", s.Authority)
		fn(p+"signature.signer", s.Signer)
	}
	for i := range d.Appendices {
		a := &d.Appendices[i]
		q := fmt.Sprintf("%sappendices[%d]", p, i)
		fn(q+".heading", a.Heading)
		fn(q+".title", a.Title)
		for j, c := range a.Columns {
			fn(fmt.Sprintf("%s.columns[%d].label", q, j), c.Label)
		}
		for j := range a.Tasks {
			t := &a.Tasks[j]
			r := func(field string) func() string {
				return func() string { return fmt.Sprintf("%s.tasks[%d].%s", q, j, field) }
			}
			emit(r("content"), t.Content)
			emit(r("output"), t.Output)
			emit(r("deadline"), t.Deadline.Text)
			emit(r("note"), t.Note)
			for k, s := range t.Lead {
				emit(func() string { return fmt.Sprintf("%s.tasks[%d].lead[%d]", q, j, k) }, s)
			}
			for k, s := range t.Cooperating {
				emit(func() string { return fmt.Sprintf("%s.tasks[%d].cooperating[%d]", q, j, k) }, s)
			}
		}
	}
	if d.PromulgatedBy != nil {
		d.PromulgatedBy.texts(p+"promulgated_by.", emit)
	}
}
