package doc

import "fmt"

// Texts calls fn with the JSON path and value of every text of the
// document that a renderer may print, so that a font check can name the
// field that holds a character the font lacks.
func (d *Document) Texts(fn func(path, text string)) {
	d.texts("", fn)
}

func (d *Document) texts(p string, fn func(path, text string)) {
	list := func(name string, v []string) {
		for i, s := range v {
			fn(fmt.Sprintf("%s%s[%d]", p, name, i), s)
		}
	}
	fn(p+"symbol", d.Symbol)
	fn(p+"issuer", d.Issuer)
	fn(p+"title", d.Title)
	fn(p+"authority", d.Authority)
	fn(p+"body", d.Body)
	fn(p+"archive", d.Archive)
	list("legal_bases", d.LegalBases)
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
			r := fmt.Sprintf("%s.tasks[%d]", q, j)
			fn(r+".content", t.Content)
			fn(r+".output", t.Output)
			fn(r+".deadline", t.Deadline.Text)
			fn(r+".note", t.Note)
			for k, s := range t.Lead {
				fn(fmt.Sprintf("%s.lead[%d]", r, k), s)
			}
			for k, s := range t.Cooperating {
				fn(fmt.Sprintf("%s.cooperating[%d]", r, k), s)
			}
		}
	}
	if d.PromulgatedBy != nil {
		d.PromulgatedBy.texts(p+"promulgated_by.", fn)
	}
}
