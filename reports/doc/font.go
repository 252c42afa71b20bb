package doc

import (
	"fmt"
	"unicode"

	"baocao/fonts"
	"baocao/reports/text"
)

// CheckText is the font check of one text at the door: nil when fam can
// draw every character of s, else the error naming field, the first
// character it cannot draw and its code point. s must be cleaned
// (text.Clean) first.
func CheckText(fam *fonts.Family, field, s string) *FieldError {
	r, ok := text.Drawable(fam, s)
	if ok {
		return nil
	}
	fe := &FieldError{Field: field, Problem: text.Problem(fam, r), CodePoint: fmt.Sprintf("%U", r)}
	if unicode.IsGraphic(r) {
		fe.Character = string(r)
	}
	return fe
}

// Undrawable checks every text of the document against fam and lists the
// texts holding a character it cannot draw, by field.
func (d *Document) Undrawable(fam *fonts.Family) []FieldError {
	var errs []FieldError
	d.EachText(func(path func() string, s *string) {
		if fe := CheckText(fam, path(), *s); fe != nil && len(errs) < 100 {
			errs = append(errs, *fe)
		}
	})
	return errs
}

// Undrawable is the font check of a task's texts; the fields are named
// from the task ("content", "lead[0]").
func (t *Task) Undrawable(fam *fonts.Family) []FieldError {
	var errs []FieldError
	t.EachText(func(path func() string, s *string) {
		if fe := CheckText(fam, path(), *s); fe != nil {
			errs = append(errs, *fe)
		}
	})
	return errs
}

// Replaced is a character a render replaced because the font cannot draw
// it, and the field that held it.
type Replaced struct {
	Field string
	Rune  rune
}

func (r Replaced) String() string { return fmt.Sprintf("%U in %s", r.Rune, r.Field) }

// ReplaceUndrawable makes a stored document printable whatever it holds
// (text stored before the door's check, or a font swapped for another
// family): in every text with a character fam cannot draw, the text is
// cleaned and each such character replaced with text.Replacement. It
// changes d in place and lists what it replaced.
func (d *Document) ReplaceUndrawable(fam *fonts.Family) []Replaced {
	var out []Replaced
	d.EachText(func(path func() string, s *string) {
		fixed, gone := text.Replace(fam, *s)
		if fixed == *s {
			return
		}
		*s = fixed
		if len(gone) > 0 {
			p := path()
			for _, r := range gone {
				out = append(out, Replaced{Field: p, Rune: r})
			}
		}
	})
	return out
}
