package server

import (
	"strconv"
	"strings"

	"baocao/reports/doc"
	"baocao/workflow"
)

// Every text that enters through the API or a web form passes the rule
// of package text ("Text at the door" in the README): cleaned (line
// breaks, tabs, invisible characters, NFC), trimmed, and checked against
// the font family documents are set in; a character the font cannot draw
// is refused with a 422 naming the field, the character and its code
// point, and nothing is stored.

// runeOf is the character a field error names (by its code point).
func runeOf(fe doc.FieldError) (rune, bool) {
	n, err := strconv.ParseUint(strings.TrimPrefix(fe.CodePoint, "U+"), 16, 32)
	if fe.CodePoint == "" || err != nil {
		return 0, false
	}
	return rune(n), true
}

// textField is one text of a request and the name of its field.
type textField struct {
	name string
	v    *string
}

// cleanTexts applies the rule to each field in place and lists the
// fields holding a character the font cannot draw.
func (s *Server) cleanTexts(fields ...textField) []doc.FieldError {
	var errs []doc.FieldError
	for _, f := range fields {
		errs = append(errs, workflow.CleanTexts(s.cfg.Fonts, workflow.TextField{Name: f.name, V: f.v})...)
	}
	return errs
}
