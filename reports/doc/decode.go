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

// MaxDocumentBytes bounds a document read by Decode; DecodeLimit takes
// another bound (the command line's --max-input).
const MaxDocumentBytes = 8 << 20

// Decode reads one document from JSON, strictly (see DecodeJSON): unknown,
// duplicated and miscased fields, wrong types, trailing data and
// impossible dates are errors naming the field.
// The result is normalised to NFC and validated.
func Decode(r io.Reader) (*Document, error) { return DecodeLimit(r, MaxDocumentBytes) }

// DecodeLimit is Decode of a document of at most limit bytes
// (MaxDocumentBytes when limit is not positive); a larger one is a
// ValidationError of the whole input ("$").
func DecodeLimit(r io.Reader, limit int64) (*Document, error) {
	if limit <= 0 {
		limit = MaxDocumentBytes
	}
	data, err := ReadInput(r, limit)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, &ValidationError{Fields: []FieldError{{Field: strictjson.Root, Problem: fmt.Sprintf(
				"tài liệu lớn hơn %d byte / document larger than %d bytes", limit, limit)}}}
		}
		return nil, fmt.Errorf("read document: %w", err)
	}
	return DecodeBytes(data)
}

// DecodeBytes is Decode of a document already read.
func DecodeBytes(data []byte) (*Document, error) {
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

// ErrTooLarge is ReadInput's error for an input over its limit.
var ErrTooLarge = errors.New("input larger than its limit")

// ReadInput reads all of r, at most limit bytes (else ErrTooLarge). When
// r knows its size (a file, a bytes or strings reader) the buffer is made
// that size once, so the input is read without the copies io.ReadAll
// makes as its buffer grows.
func ReadInput(r io.Reader, limit int64) ([]byte, error) {
	size := int64(-1)
	switch v := r.(type) {
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	case interface{ Len() int }:
		size = int64(v.Len())
	}
	return ReadSized(r, size, limit)
}

// ReadSized reads all of r, at most limit bytes (else ErrTooLarge),
// into a buffer of size bytes (plus one, to see the end) when size is
// known (not negative; a request's Content-Length), so that it is read
// without intermediate copies; a size that proves wrong only costs the
// copies it would have saved.
func ReadSized(r io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, ErrTooLarge
	}
	if size < 0 {
		size = min(limit, 512)
	}
	buf := make([]byte, 0, size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
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
