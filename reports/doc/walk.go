package doc

import "fmt"

// Texts calls fn with every text of the document that a renderer may
// print and a function giving its JSON path, so that a font check can name
// the field that holds a character the font lacks. The path is built only
// when asked for: a check of a large plan stays cheap.
func (d *Document) Texts(fn func(path func() string, text string)) {
	d.EachText(func(path func() string, s *string) { fn(path, *s) })
}

// EachText is Texts with the texts' addresses, for changing them in place.
func (d *Document) EachText(fn func(path func() string, s *string)) {
	d.texts("", fn)
}

func (d *Document) texts(p string, emit func(path func() string, s *string)) {
	fn := func(path string, s *string) { emit(func() string { return path }, s) }
	list := func(name string, v []string) {
		for i := range v {
			emit(func() string { return fmt.Sprintf("%s%s[%d]", p, name, i) }, &v[i])
		}
	}
	fn(p+"symbol", &d.Symbol)
	fn(p+"issuer", &d.Issuer)
	fn(p+"title", &d.Title)
	fn(p+"authority", &d.Authority)
	fn(p+"body", &d.Body)
	fn(p+"archive", &d.Archive)
	list("legal_bases", d.LegalBases)
	list("addressees", d.Addressees)
	list("recipients", d.Recipients)
	ap := p + "agency"
	for a := &d.Agency; a != nil; a = a.Parent {
		fn(ap+".name", &a.Name)
		fn(ap+".short_name", &a.ShortName)
		fn(ap+".symbol", &a.Symbol)
		fn(ap+".place", &a.Place)
		for i := range a.Header {
			fn(fmt.Sprintf("%s.header[%d]", ap, i), &a.Header[i])
		}
		ap += ".parent"
	}
	if s := d.Signature; s != nil {
		list("signature.authority", s.Authority)
		fn(p+"signature.signer", &s.Signer)
	}
	for i := range d.Appendices {
		a := &d.Appendices[i]
		q := fmt.Sprintf("%sappendices[%d]", p, i)
		fn(q+".heading", &a.Heading)
		fn(q+".title", &a.Title)
		for j := range a.Columns {
			fn(fmt.Sprintf("%s.columns[%d].label", q, j), &a.Columns[j].Label)
		}
		for j := range a.Tasks {
			a.Tasks[j].texts(func() string { return fmt.Sprintf("%s.tasks[%d].", q, j) }, emit)
		}
	}
	if d.PromulgatedBy != nil {
		d.PromulgatedBy.texts(p+"promulgated_by.", emit)
	}
}

// EachText calls fn with every text of the task and its path from the
// task ("content", "lead[0]").
func (t *Task) EachText(fn func(path func() string, s *string)) {
	t.texts(func() string { return "" }, fn)
}

func (t *Task) texts(prefix func() string, emit func(path func() string, s *string)) {
	r := func(field string) func() string { return func() string { return prefix() + field } }
	emit(r("content"), &t.Content)
	emit(r("output"), &t.Output)
	emit(r("deadline"), &t.Deadline.Text)
	emit(r("note"), &t.Note)
	for k := range t.Lead {
		emit(func() string { return fmt.Sprintf("%slead[%d]", prefix(), k) }, &t.Lead[k])
	}
	for k := range t.Cooperating {
		emit(func() string { return fmt.Sprintf("%scooperating[%d]", prefix(), k) }, &t.Cooperating[k])
	}
}
