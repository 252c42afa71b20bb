package doc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

// FieldError names a field of the JSON input and what is wrong with it.
// For a character that cannot be printed, Character and CodePoint name it
// ("😀", "U+1F600"; Character is empty for a control character).
type FieldError struct {
	Field     string `json:"field"`
	Problem   string `json:"problem"`
	Character string `json:"character,omitempty"`
	CodePoint string `json:"code_point,omitempty"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Problem }

// ValidationError lists every problem found in a document.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid document: ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Error())
	}
	return b.String()
}

// MaxDocumentBytes bounds a document read by Decode.
const MaxDocumentBytes = 8 << 20

// Decode reads one document from JSON, strictly: unknown fields, wrong
// types, trailing data and impossible dates are errors naming the field.
// The result is normalised to NFC and validated.
func Decode(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read document: %w", err)
	}
	if len(data) > MaxDocumentBytes {
		return nil, &ValidationError{Fields: []FieldError{{Field: "", Problem: fmt.Sprintf("document larger than %d bytes", MaxDocumentBytes)}}}
	}
	var d Document
	if err := DecodeJSON(data, &d); err != nil {
		return nil, err
	}
	d.Normalize()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// DecodeJSON decodes one JSON value strictly into v: unknown fields, wrong
// types and trailing data are a *ValidationError naming the field.
func DecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &ValidationError{Fields: []FieldError{jsonFieldError(data, err)}}
	}
	if dec.More() {
		return &ValidationError{Fields: []FieldError{{Field: "", Problem: "unexpected data after the JSON value"}}}
	}
	return nil
}

// jsonFieldError turns an encoding/json error into a FieldError.
func jsonFieldError(data []byte, err error) FieldError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(data, syn.Offset)
		return FieldError{Field: "", Problem: fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, syn.Error())}
	case errors.As(err, &typ):
		return FieldError{Field: jsonPath(typ.Field), Problem: fmt.Sprintf("want %s, got JSON %s", typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return FieldError{Field: "", Problem: "the JSON document is empty or cut short"}
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return FieldError{Field: strings.Trim(f, `"`), Problem: "unknown field"}
	}
	// Errors from our own UnmarshalJSON methods (dates, deadlines) arrive
	// wrapped with the Go type path; keep the message.
	return FieldError{Field: "", Problem: strings.TrimPrefix(msg, "json: ")}
}

// jsonPath drops from encoding/json's field path the names of embedded Go
// structs ("AgencyFields.name" is "name"): JSON names here are lower case.
func jsonPath(p string) string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		if part != "" && !unicode.IsUpper([]rune(part)[0]) {
			out = append(out, part)
		}
	}
	return strings.Join(out, ".")
}

func position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// ReadFile decodes the document in a JSON file.
func ReadFile(path string) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}
