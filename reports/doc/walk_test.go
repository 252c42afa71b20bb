package doc

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// TestTextPaths checks the walk of a document's texts (one cursor for the
// whole walk) against the walk it replaced (a closure per text, kept
// below): the same texts, in the same order, with the same paths, on
// every seed plan (Bình Định's is promulgated by a decision) with every
// list field filled.
func TestTextPaths(t *testing.T) {
	files, err := filepath.Glob("../../testdata/plans/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed plans: %v", err)
	}
	for _, f := range files {
		d, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Every list, so that each kind of path is seen.
		d.LegalBases = append(d.LegalBases, "a", "b")
		d.Recipients = append(d.Recipients, "c")
		d.Addressees = append(d.Addressees, "d")
		d.Agency.Header = append(d.Agency.Header, "e", "f")
		d.Agency.Parent = &Agency{Name: "g", Header: []string{"h"}, Parent: &Agency{Name: "i"}}
		if d.Signature == nil {
			d.Signature = &Signature{}
		}
		d.Signature.Authority = append(d.Signature.Authority, "j", "k")
		if len(d.Appendices) > 0 && len(d.Appendices[0].Tasks) > 1 {
			tk := &d.Appendices[0].Tasks[1]
			tk.Lead = append(tk.Lead, "l", "m")
			tk.Cooperating = append(tk.Cooperating, "n", "o")
		}
		type visit struct {
			path string
			s    *string
		}
		var got, want []visit
		d.EachText(func(path func() string, s *string) { got = append(got, visit{path(), s}) })
		refTexts(d, "", func(path func() string, s *string) { want = append(want, visit{path(), s}) })
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d texts, want %d", filepath.Base(f), len(got), len(want))
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("first difference at %d: %q, want %q", i, got[i].path, want[i].path)
					break
				}
			}
		}
		if len(d.Appendices) > 0 && len(d.Appendices[0].Tasks) > 1 {
			tk := &d.Appendices[0].Tasks[1]
			var g, w []string
			tk.EachText(func(path func() string, _ *string) { g = append(g, path()) })
			refTaskTexts(tk, func() string { return "" }, func(path func() string, _ *string) { w = append(w, path()) })
			if !slices.Equal(g, w) {
				t.Errorf("%s: task paths %q, want %q", filepath.Base(f), g, w)
			}
		}
	}
}

// refTexts and refTaskTexts are the walk before the cursor, the reference.
func refTexts(d *Document, p string, emit func(path func() string, s *string)) {
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
			refTaskTexts(&a.Tasks[j], func() string { return fmt.Sprintf("%s.tasks[%d].", q, j) }, emit)
		}
	}
	if d.PromulgatedBy != nil {
		refTexts(d.PromulgatedBy, p+"promulgated_by.", emit)
	}
}

func refTaskTexts(t *Task, prefix func() string, emit func(path func() string, s *string)) {
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

// TestTextsButBodies: the walk for a separate appendix is the whole walk
// without the bodies, the plan's and its promulgating decision's (Bình
// Định's plan has one), in the same order.
func TestTextsButBodies(t *testing.T) {
	files, err := filepath.Glob("../../testdata/plans/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed plans: %v", err)
	}
	promulgated := false
	for _, f := range files {
		d, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		promulgated = promulgated || d.PromulgatedBy != nil
		var want, got []string
		d.Texts(func(path func() string, _ string) {
			if p := path(); p != "body" && p != "promulgated_by.body" {
				want = append(want, p)
			}
		})
		d.TextsButBodies(func(path func() string, _ string) { got = append(got, path()) })
		if !slices.Equal(got, want) {
			t.Errorf("%s: walked %v, want %v", filepath.Base(f), got, want)
		}
		if slices.Contains(got, "body") {
			t.Errorf("%s: the body walked", filepath.Base(f))
		}
	}
	if !promulgated {
		t.Error("no seed plan promulgated by a decision: the decision's body is not tested")
	}
}
