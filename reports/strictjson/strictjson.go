// Package strictjson is baocao's one JSON decoder: every JSON body the API
// takes and every JSON file the command line and the demo data read go
// through Decode.
//
// It is strict: object keys match the Go fields' JSON names exactly
// (case-sensitively), a key given twice in one object is refused, a key
// the target type does not have is refused, a value of the wrong JSON kind
// is refused, and nothing may follow the JSON value. And it reports every
// problem at once, each with the path of its field in the form the rest of
// baocao uses (appendices[0].tasks[2].priority), in Vietnamese and
// English.
//
// # How every problem is found
//
// JSON v2 (github.com/go-json-experiment/json, the future encoding/json/v2)
// decodes strictly with the right options, and its errors are structured
// (json.SemanticError and jsontext.SyntacticError carry a JSON Pointer),
// but it stops at the first problem. Decode therefore works in two steps:
//
//  1. It walks the JSON token stream (jsontext.Decoder) against the
//     target's Go type: at each object it knows the struct's fields (by the
//     same rules JSON v2 uses: the json tag's name, else the Go name;
//     embedded structs without a name inlined; "-" and unexported fields
//     left out), so it lists every unknown and duplicated key and every
//     value of the wrong kind (a string where an integer is wanted, a
//     fraction or an out-of-range number for an integer, an object where
//     an array is wanted…), skipping the offending value and going on.
//     A value whose type decodes itself (UnmarshalJSON, UnmarshalJSONFrom,
//     UnmarshalText, time.Time) is handed to JSON v2 on its own, so the
//     type's own method runs and its error gets the field's path. A syntax
//     error ends the walk: it is reported alone, with its line, column and
//     byte offset, and the field it was in.
//  2. Only when the walk found nothing does JSON v2 decode the whole input
//     into the target, with RejectUnknownMembers(true),
//     AllowDuplicateNames(false), MatchCaseInsensitiveNames(false) and
//     AllowInvalidUTF8(false). So JSON v2 has the last word: the walk can
//     only add problems, never let through what v2 refuses, and an error
//     the walk did not foresee is still reported with its field (from the
//     error's JSON Pointer).
//
// Errors are told apart by their types and sentinel values (json.ErrUnknownName,
// jsontext.ErrDuplicateName, io.ErrUnexpectedEOF), never by their texts.
//
// null is accepted for any field and means its zero value, as in JSON v2
// (and encoding/json); only the whole input may not be null.
package strictjson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Root is the field path of the whole input (as in JSONPath).
const Root = "$"

// MaxProblems bounds the problems one input reports; the walk stops
// collecting after that many.
const MaxProblems = 100

// Problem is one thing wrong with the input: the path of its field
// (appendices[0].tasks[2].priority; Root for the whole input) and what is
// wrong, in Vietnamese and English ("trường không có trong mẫu / unknown
// field").
type Problem struct {
	Field   string
	Problem string
}

// Error lists every problem found in an input, in the order of the input.
type Error struct {
	Problems []Problem
	// Syntax is set when the input is not JSON at all (one problem, with
	// the line, column and byte offset).
	Syntax bool
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("invalid JSON input: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field + ": " + p.Problem)
	}
	return b.String()
}

// ValueError is what a type's UnmarshalJSONFrom (or UnmarshalJSON) method
// returns to refuse a value in the project's words: Problem, in
// Vietnamese and English, is reported as it is, with the field's path.
// Any other error of such a method is reported as "giá trị không hợp lệ /
// invalid value: " followed by the error.
type ValueError struct{ Problem string }

func (e *ValueError) Error() string { return e.Problem }

// Invalid returns a *ValueError.
func Invalid(problem string) error { return &ValueError{Problem: problem} }

// Options are the JSON v2 options of the final decoding.
var Options = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.MatchCaseInsensitiveNames(false),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// Decode decodes the one JSON value in data into v, a non-nil pointer,
// strictly (see the package documentation). Problems with the input are a
// *Error listing each with its field; v is set only when there are none.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("strictjson: Decode needs a non-nil pointer, not %T", v)
	}
	t := rv.Type().Elem()
	w := &walker{
		data: data,
		dec: jsontext.NewDecoder(bytes.NewReader(data),
			jsontext.AllowDuplicateNames(true), // the walk finds duplicates itself, and goes on
			jsontext.AllowInvalidUTF8(false)),
	}
	if err := w.root(t); err != nil {
		return w.syntax(err, t)
	}
	if len(w.probs) > 0 {
		return &Error{Problems: w.probs}
	}
	if err := json.Unmarshal(data, v, Options); err != nil {
		w.path = w.path[:0]
		if !w.fromError(err, t) {
			return w.syntax(err, t)
		}
		return &Error{Problems: w.probs}
	}
	return nil
}

// walker walks the token stream against a Go type, collecting problems.
type walker struct {
	data  []byte
	dec   *jsontext.Decoder
	path  []byte // the field path of the value being read
	probs []Problem
	// trailing is the offset of the end of the value when something
	// follows it.
	trailing int64
}

func (w *walker) field() string {
	if len(w.path) == 0 {
		return Root
	}
	return string(w.path)
}

func (w *walker) add(problem string) {
	if len(w.probs) < MaxProblems {
		w.probs = append(w.probs, Problem{Field: w.field(), Problem: problem})
	}
}

// pushName and pushIndex extend the path; the returned length restores it.
func (w *walker) pushName(name string) int {
	n := len(w.path)
	w.path = appendName(w.path, name)
	return n
}

func (w *walker) pushIndex(i int) int {
	n := len(w.path)
	w.path = appendIndex(w.path, i)
	return n
}

// root reads the whole input: one value of type t and nothing after it.
// It returns only syntax and reading errors.
func (w *walker) root(t reflect.Type) error {
	switch w.dec.PeekKind() {
	case 0:
		_, err := w.dec.ReadToken()
		return err
	case 'n':
		if k := t.Kind(); k != reflect.Pointer && k != reflect.Interface && !decodesItself(t) {
			if err := w.dec.SkipValue(); err != nil {
				return err
			}
			w.add(wrongType(t, 'n'))
			return w.end()
		}
	}
	if err := w.value(t); err != nil {
		return err
	}
	return w.end()
}

// end insists that nothing but white space follows the value.
func (w *walker) end() error {
	after := w.dec.InputOffset()
	if _, err := w.dec.ReadToken(); err != io.EOF {
		w.trailing = after
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("unexpected data after the JSON value")

// value reads one value into which t is decoded.
func (w *walker) value(t reflect.Type) error {
	kind := w.dec.PeekKind()
	if kind == 0 {
		_, err := w.dec.ReadToken()
		return err
	}
	if decodesItself(t) {
		raw, err := w.dec.ReadValue()
		if err != nil {
			return err
		}
		w.alone(raw, t)
		return nil
	}
	if kind == 'n' {
		return w.dec.SkipValue() // null is the zero value of any type
	}
	switch t.Kind() {
	case reflect.Pointer:
		return w.value(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return w.anyValue()
		}
	case reflect.Struct:
		if kind == '{' {
			return w.object(t)
		}
		return w.mismatch(t, kind)
	case reflect.Map:
		if kind == '{' && t.Key().Kind() == reflect.String && !decodesItself(t.Key()) {
			return w.mapObject(t)
		}
		if kind != '{' {
			return w.mismatch(t, kind)
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			break // bytes are base64 text: JSON v2 judges them alone
		}
		if kind != '[' {
			return w.mismatch(t, kind)
		}
		if err := w.array(t.Elem()); err != nil {
			return err
		}
		return nil
	case reflect.String:
		if kind != '"' {
			return w.mismatch(t, kind)
		}
		return w.dec.SkipValue()
	case reflect.Bool:
		if kind != 't' && kind != 'f' {
			return w.mismatch(t, kind)
		}
		return w.dec.SkipValue()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		if kind != '0' {
			return w.mismatch(t, kind)
		}
		raw, err := w.dec.ReadValue()
		if err != nil {
			return err
		}
		if p := numberProblem(string(raw), t); p != "" {
			w.add(p)
		}
		return nil
	}
	// Anything else (a fixed-size byte array, an interface with methods, a
	// map of other keys): JSON v2 judges the value alone.
	raw, err := w.dec.ReadValue()
	if err != nil {
		return err
	}
	w.alone(raw, t)
	return nil
}

// mismatch reports a value of the wrong kind and skips it.
func (w *walker) mismatch(t reflect.Type, kind jsontext.Kind) error {
	w.add(wrongType(t, kind))
	return w.dec.SkipValue()
}

// object reads an object into struct type t.
func (w *walker) object(t reflect.Type) error {
	fields := fieldsOf(t)
	if _, err := w.dec.ReadToken(); err != nil { // {
		return err
	}
	seen := map[string]bool{}
	for {
		switch w.dec.PeekKind() {
		case '}':
			_, err := w.dec.ReadToken()
			return err
		case 0:
			_, err := w.dec.ReadToken()
			return err
		}
		tok, err := w.dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		n := w.pushName(name)
		switch f, ok := fields[name]; {
		case seen[name]:
			w.add(problemDuplicate)
			err = w.dec.SkipValue()
		case ok:
			seen[name] = true
			err = w.value(f)
		default:
			seen[name] = true
			err = w.unknown(t, fields, name, n)
		}
		w.path = w.path[:n]
		if err != nil {
			return err
		}
	}
}

// unknown handles a key the walk does not know in struct type t; objLen
// is the length of the object's path. As a safeguard it asks JSON v2 too:
// a key v2 knows after all is judged by v2 with its value.
func (w *walker) unknown(t reflect.Type, fields map[string]reflect.Type, name string, objLen int) error {
	raw, err := w.dec.ReadValue()
	if err != nil {
		return err
	}
	obj, _ := jsontext.AppendQuote([]byte{'{'}, name)
	obj = append(append(append(obj, ':'), raw...), '}')
	err = json.Unmarshal(obj, reflect.New(t).Interface(), Options)
	var se *json.SemanticError
	if errors.As(err, &se) && errors.Is(se.Err, json.ErrUnknownName) {
		w.add(unknownProblem(name, fields))
		return nil
	}
	if err != nil {
		// JSON v2 knows the key after all: report what it says of the
		// value, from the object (its pointer names the key).
		n := len(w.path)
		w.path = w.path[:objLen]
		if !w.fromError(err, t) {
			w.path = w.path[:n]
			w.add(problemInvalid + ": " + err.Error())
		}
		w.path = w.path[:n]
	}
	return nil
}

// mapObject reads an object into a map with string keys.
func (w *walker) mapObject(t reflect.Type) error {
	if _, err := w.dec.ReadToken(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for {
		switch w.dec.PeekKind() {
		case '}', 0:
			_, err := w.dec.ReadToken()
			return err
		}
		tok, err := w.dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		n := w.pushName(name)
		if seen[name] {
			w.add(problemDuplicate)
			err = w.dec.SkipValue()
		} else {
			seen[name] = true
			err = w.value(t.Elem())
		}
		w.path = w.path[:n]
		if err != nil {
			return err
		}
	}
}

// array reads an array whose elements decode into elem.
func (w *walker) array(elem reflect.Type) error {
	if _, err := w.dec.ReadToken(); err != nil { // [
		return err
	}
	for i := 0; ; i++ {
		switch w.dec.PeekKind() {
		case ']', 0:
			_, err := w.dec.ReadToken()
			return err
		}
		n := w.pushIndex(i)
		err := w.value(elem)
		w.path = w.path[:n]
		if err != nil {
			return err
		}
	}
}

// anyValue reads a value decoded into an empty interface: any JSON will
// do, but keys may still not repeat.
func (w *walker) anyValue() error {
	switch w.dec.PeekKind() {
	case '{':
		return w.mapObject(reflect.TypeFor[map[string]any]())
	case '[':
		return w.array(reflect.TypeFor[any]())
	}
	return w.dec.SkipValue()
}

// alone decodes one value into a new value of type t with JSON v2 and
// reports its error, if any.
func (w *walker) alone(raw jsontext.Value, t reflect.Type) {
	if err := json.Unmarshal(raw, reflect.New(t).Interface(), Options); err != nil {
		if !w.fromError(err, t) {
			w.add(problemInvalid + ": " + err.Error())
		}
	}
}

// fromError reports an error of JSON v2 decoding a value of type t found
// at the current path. It reports false for an error that is neither
// semantic nor syntactic.
func (w *walker) fromError(err error, t reflect.Type) bool {
	var sem *json.SemanticError
	var syn *jsontext.SyntacticError
	var ve *ValueError
	var ptr jsontext.Pointer
	var problem string
	switch {
	case errors.As(err, &sem):
		ptr = sem.JSONPointer
		switch {
		case errors.As(sem.Err, &ve):
			problem = ve.Problem
		case errors.Is(sem.Err, json.ErrUnknownName):
			problem = problemUnknown
		case sem.Err == nil || errors.Is(sem.Err, io.ErrUnexpectedEOF):
			if sem.GoType != nil && sem.JSONKind != 0 {
				problem = wrongType(sem.GoType, sem.JSONKind)
			} else {
				problem = problemInvalid
			}
		default:
			var num *strconv.NumError
			if errors.As(sem.Err, &num) && sem.GoType != nil {
				problem = numberProblem(num.Num, sem.GoType)
			}
			if problem == "" {
				problem = problemInvalid + ": " + sem.Err.Error()
			}
		}
	case errors.As(err, &syn):
		ptr = syn.JSONPointer
		switch {
		case errors.Is(syn.Err, jsontext.ErrDuplicateName):
			problem = problemDuplicate
		default:
			return false
		}
	case errors.As(err, &ve):
		problem = ve.Problem
	default:
		return false
	}
	n := len(w.path)
	w.path = appendPointer(w.path, ptr, t)
	w.add(problem)
	w.path = w.path[:n]
	return true
}

// syntax turns an error ending the walk into the one problem of a *Error.
func (w *walker) syntax(err error, t reflect.Type) error {
	var syn *jsontext.SyntacticError
	var offset int64
	var field string
	var cause string
	switch {
	case errors.As(err, &syn):
		offset = syn.ByteOffset
		field = FieldPath(syn.JSONPointer, t)
		switch {
		case errors.Is(syn.Err, io.ErrUnexpectedEOF):
			cause = "cut short"
		case syn.Err != nil:
			cause = syn.Err.Error()
		}
	case err == io.EOF:
		return &Error{Syntax: true, Problems: []Problem{{Field: Root, Problem: "tài liệu JSON rỗng / the JSON document is empty"}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		offset, field, cause = int64(len(w.data)), w.field(), "cut short"
	case errors.Is(err, errTrailing):
		offset = w.trailing
		for offset < int64(len(w.data)) && strings.IndexByte(" \t\r\n", w.data[offset]) >= 0 {
			offset++
		}
		line, col := position(w.data, offset)
		return &Error{Syntax: true, Problems: []Problem{{Field: Root, Problem: fmt.Sprintf(
			"có dữ liệu thừa sau giá trị JSON ở dòng %d, cột %d (byte %d) / unexpected data after the JSON value at line %d, column %d (byte %d)",
			line, col, offset, line, col, offset)}}}
	default:
		return err // a reading error: not the input's fault
	}
	line, col := position(w.data, offset)
	p := fmt.Sprintf("JSON không hợp lệ ở dòng %d, cột %d (byte %d) / invalid JSON at line %d, column %d (byte %d)",
		line, col, offset, line, col, offset)
	if cause != "" {
		p += ": " + cause
	}
	return &Error{Syntax: true, Problems: []Problem{{Field: field, Problem: p}}}
}
