package main

import (
	"fmt"
	"strings"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/text"
)

// The command line's input files pass the same rule as the API ("Text at
// the door" in the README): documents are cleaned when decoded, and a
// character the font cannot draw is refused here with the file and the
// field, exit code 1, before anything is rendered or stored.

// undrawable is the error for the fields of a file (or flag) holding a
// character the font cannot draw; nil when there is none.
func undrawable(source string, errs []doc.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s has characters the font cannot draw:%s", source, fieldList(&doc.ValidationError{Fields: errs}))
}

// cleanText applies the rule to one text and checks it; field names it
// for the message.
func cleanText(fam *fonts.Family, field string, s *string, errs *[]doc.FieldError) {
	*s = strings.TrimSpace(text.Clean(*s))
	if fe := doc.CheckText(fam, field, *s); fe != nil {
		*errs = append(*errs, *fe)
	}
}
