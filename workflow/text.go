package workflow

import (
	"strings"

	"baocao/fonts"
	"baocao/reports/doc"
	textrule "baocao/reports/text"
)

// TextField is one text of an input and the name of its field.
type TextField struct {
	Name string
	V    *string
}

// CleanTexts applies the text rule at the door (README "Text at the
// door": package text's Clean, trimmed, then checked against the font
// family) to each field in place and lists the fields holding a
// character the font cannot draw.
func CleanTexts(fam *fonts.Family, fields ...TextField) []doc.FieldError {
	var errs []doc.FieldError
	for _, f := range fields {
		*f.V = strings.TrimSpace(textrule.Clean(*f.V))
		if fe := doc.CheckText(fam, f.Name, *f.V); fe != nil {
			errs = append(errs, *fe)
		}
	}
	return errs
}
