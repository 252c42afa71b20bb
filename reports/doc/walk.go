package doc

import "strconv"

// Texts calls fn with every text of the document that a renderer may
// print and a function giving its JSON path, so that a font check can name
// the field that holds a character the font lacks. The path is built only
// when asked for: a check of a large plan stays cheap. path names the text
// fn was called with only during that call (fn may not keep it).
func (d *Document) Texts(fn func(path func() string, text string)) {
	d.EachText(func(path func() string, s *string) { fn(path, *s) })
}

// EachText is Texts with the texts' addresses, for changing them in place.
func (d *Document) EachText(fn func(path func() string, s *string)) {
	d.texts("", true, fn)
}

// TextsButBodies is Texts without the body of the document and of the
// decision promulgating it: what a separate appendix file can print.
func (d *Document) TextsButBodies(fn func(path func() string, text string)) {
	d.texts("", false, func(path func() string, s *string) { fn(path, *s) })
}

// textCursor is where a walk of the texts is: its path is made from it
// only when asked for. One cursor serves a whole walk, and its String,
// bound once, is the path function every text is given (a closure per
// text was a tenth of a seed render's allocations).
type textCursor struct {
	base  string // a task's appendix ("appendices[0]"); with task >= 0 only
	task  int    // the task's index in its appendix, or -1 outside tasks
	field string // the field, from the task or else the whole path
	index int    // the element of a list field, or -1
}

func (c *textCursor) String() string {
	b := make([]byte, 0, len(c.base)+len(c.field)+20)
	if c.task >= 0 {
		b = append(b, c.base...)
		b = append(b, ".tasks["...)
		b = strconv.AppendInt(b, int64(c.task), 10)
		b = append(b, "]."...)
	}
	b = append(b, c.field...)
	if c.index >= 0 {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(c.index), 10)
		b = append(b, ']')
	}
	return string(b)
}

// at points the cursor at a text outside tasks, field being its path.
func (c *textCursor) at(field string, index int) {
	c.task, c.field, c.index = -1, field, index
}

func (d *Document) texts(p string, bodies bool, emit func(path func() string, s *string)) {
	c := &textCursor{}
	path := c.String
	fn := func(field string, s *string) {
		c.at(field, -1)
		emit(path, s)
	}
	list := func(field string, v []string) {
		for i := range v {
			c.at(field, i)
			emit(path, &v[i])
		}
	}
	fn(p+"symbol", &d.Symbol)
	fn(p+"issuer", &d.Issuer)
	fn(p+"title", &d.Title)
	fn(p+"authority", &d.Authority)
	if bodies {
		fn(p+"body", &d.Body)
	}
	fn(p+"archive", &d.Archive)
	list(p+"legal_bases", d.LegalBases)
	list(p+"addressees", d.Addressees)
	list(p+"recipients", d.Recipients)
	ap := p + "agency"
	for a := &d.Agency; a != nil; a = a.Parent {
		fn(ap+".name", &a.Name)
		fn(ap+".short_name", &a.ShortName)
		fn(ap+".symbol", &a.Symbol)
		fn(ap+".place", &a.Place)
		list(ap+".header", a.Header)
		ap += ".parent"
	}
	if s := d.Signature; s != nil {
		list(p+"signature.authority", s.Authority)
		fn(p+"signature.signer", &s.Signer)
	}
	for i := range d.Appendices {
		a := &d.Appendices[i]
		q := p + "appendices[" + strconv.Itoa(i) + "]"
		fn(q+".heading", &a.Heading)
		fn(q+".title", &a.Title)
		for j := range a.Columns {
			c.at(q+".columns["+strconv.Itoa(j)+"].label", -1)
			emit(path, &a.Columns[j].Label)
		}
		for j := range a.Tasks {
			c.base, c.task = q, j
			a.Tasks[j].texts(c, path, emit)
		}
	}
	if d.PromulgatedBy != nil {
		d.PromulgatedBy.texts(p+"promulgated_by.", bodies, emit)
	}
}

// EachText calls fn with every text of the task and its path from the
// task ("content", "lead[0]"), valid during that call.
func (t *Task) EachText(fn func(path func() string, s *string)) {
	c := &textCursor{task: -1}
	t.texts(c, c.String, fn)
}

// texts visits the task's texts with c pointing at the task (its base
// and task index set); path is c.String.
func (t *Task) texts(c *textCursor, path func() string, emit func(path func() string, s *string)) {
	one := func(field string, s *string) {
		c.field, c.index = field, -1
		emit(path, s)
	}
	one("content", &t.Content)
	one("output", &t.Output)
	one("deadline", &t.Deadline.Text)
	one("note", &t.Note)
	c.field = "lead"
	for k := range t.Lead {
		c.index = k
		emit(path, &t.Lead[k])
	}
	c.field = "cooperating"
	for k := range t.Cooperating {
		c.index = k
		emit(path, &t.Cooperating[k])
	}
}
