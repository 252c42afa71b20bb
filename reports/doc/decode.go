package doc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"baocao/reports/strictjson"
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

// Decode reads one document from JSON, strictly (see DecodeJSON): unknown,
// duplicated and miscased fields, wrong types, trailing data and
// impossible dates are errors naming the field.
// The result is normalised to NFC and validated.
func Decode(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read document: %w", err)
	}
	if len(data) > MaxDocumentBytes {
		return nil, &ValidationError{Fields: []FieldError{{Field: strictjson.Root, Problem: fmt.Sprintf(
			"tài liệu lớn hơn %d byte / document larger than %d bytes", MaxDocumentBytes, MaxDocumentBytes)}}}
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

// DecodeJSON decodes one JSON value strictly into v with baocao's one
// JSON decoder (package strictjson): keys match exactly (case-sensitively),
// unknown and duplicated keys, values of the wrong type and trailing data
// are refused, and every problem is reported at once in a
// *ValidationError, each with its field's path
// (appendices[0].tasks[2].priority; "$" for the whole input) and its
// problem in Vietnamese and English. Malformed JSON is one FieldError
// giving the line, column and byte offset.
func DecodeJSON(data []byte, v any) error {
	err := strictjson.Decode(data, v)
	var se *strictjson.Error
	if errors.As(err, &se) {
		ve := &ValidationError{Fields: make([]FieldError, len(se.Problems))}
		for i, p := range se.Problems {
			ve.Fields[i] = FieldError{Field: p.Field, Problem: p.Problem}
		}
		return ve
	}
	return err
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
