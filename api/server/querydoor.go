package server

import (
	"fmt"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"baocao/reports/doc"
)

// checkQuery refuses a request whose query parameters (names or values)
// hold a NUL or another control character, or bytes that are not UTF-8:
// 422 naming each parameter. Such a value is never a search, a filter or
// a date, and PostgreSQL refuses it in a text parameter (SQLSTATE 22021),
// which would otherwise answer 500 or cut a streamed export. Tab, CR and
// LF pass (harmless, and a search box may send them). It runs after the
// route's access check, so that a refusal of the caller comes first.
func checkQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery == "" {
			return next(c)
		}
		var errs []doc.FieldError
		q := c.QueryParams()
		names := make([]string, 0, len(q))
		for name := range q {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			field := name
			if fe, bad := badText(name); bad {
				fe.Field = strconv.QuoteToASCII(name) // the name itself is bad
				errs = append(errs, fe)
				continue
			}
			for _, v := range q[name] {
				if fe, bad := badText(v); bad {
					fe.Field = field
					errs = append(errs, fe)
					break
				}
			}
		}
		if len(errs) > 0 {
			pr := validation(errs...)
			pr.Detail = "a query parameter holds a control character or bytes that are not UTF-8"
			return pr
		}
		return next(c)
	}
}

// badText says what is wrong with a query text (the problem in
// Vietnamese and English, and the control character's code point), or
// bad is false.
func badText(s string) (fe doc.FieldError, bad bool) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return doc.FieldError{Problem: fmt.Sprintf("có byte 0x%02X không phải UTF-8 / holds the byte 0x%02X, which is not UTF-8", s[i], s[i])}, true
		case unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r':
			return doc.FieldError{Problem: fmt.Sprintf("có ký tự điều khiển %U / contains the control character %U", r, r),
				CodePoint: fmt.Sprintf("%U", r)}, true
		}
		i += n
	}
	return doc.FieldError{}, false
}
