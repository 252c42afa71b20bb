package strictjson

import (
	"encoding"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Problems, in Vietnamese and English.
const (
	problemUnknown   = "trường không có trong mẫu / unknown field"
	problemDuplicate = "trường bị lặp lại trong cùng một đối tượng / duplicate field in the same object"
	problemInvalid   = "giá trị không hợp lệ / invalid value"
)

var (
	unmarshalerFromType = reflect.TypeFor[json.UnmarshalerFrom]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType            = reflect.TypeFor[time.Time]()
	durationType        = reflect.TypeFor[time.Duration]()
)

// decodesItself reports whether JSON v2 decodes t with a method of t's
// (UnmarshalJSONFrom, UnmarshalJSON, UnmarshalText) or a rule of its own
// (time.Time, time.Duration), rather than by its kind.
func decodesItself(t reflect.Type) bool {
	if t == timeType || t == durationType {
		return true
	}
	for _, m := range []reflect.Type{unmarshalerFromType, unmarshalerType, textUnmarshalerType} {
		if t.Implements(m) || (t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(m)) {
			return true
		}
	}
	return false
}

// Fields returns the JSON keys of struct type t with their Go types, as
// the decoder matches them (a copy). Tests compare it with the API's
// OpenAPI description, so that a field added to a body's type cannot be
// missing from the description.
func Fields(t reflect.Type) map[string]reflect.Type { return maps.Clone(fieldsOf(t)) }

// DecodesItself reports whether the decoder reads t with a method or rule
// of its own (doc.Date, doc.Deadline, time.Time…) rather than field by
// field or element by element.
func DecodesItself(t reflect.Type) bool { return decodesItself(t) }

// fields caches fieldsOf by struct type.
var fields sync.Map // reflect.Type → map[string]reflect.Type

// fieldsOf returns the JSON names of struct type t with their Go types, by
// JSON v2's rules: the json tag's name, else the Go field's name, matched
// exactly; "-" and unexported fields are left out; an embedded struct
// without a name in its tag (or a field tagged inline) has its fields
// inlined; of fields with one name the shallowest wins, and among those
// the one with a tag, else none.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := fields.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	type candidate struct {
		typ    reflect.Type
		depth  int
		tagged bool
	}
	cands := map[string][]candidate{}
	var visit func(t reflect.Type, depth int, path []reflect.Type)
	visit = func(t reflect.Type, depth int, path []reflect.Type) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, hasTag := sf.Tag.Lookup("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			inline := slices.Contains(strings.Split(opts, ","), "inline") || (sf.Anonymous && name == "")
			if inline {
				st := sf.Type
				if st.Kind() == reflect.Pointer {
					st = st.Elem()
				}
				if st.Kind() == reflect.Struct && !slices.Contains(path, st) {
					visit(st, depth+1, append(path, st))
				}
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			cands[name] = append(cands[name], candidate{typ: sf.Type, depth: depth, tagged: hasTag && name != ""})
		}
	}
	visit(t, 0, []reflect.Type{t})
	m := map[string]reflect.Type{}
	for name, cs := range cands {
		top := slices.MinFunc(cs, func(a, b candidate) int { return a.depth - b.depth }).depth
		var best []candidate
		for _, c := range cs {
			if c.depth == top {
				best = append(best, c)
			}
		}
		if len(best) > 1 {
			best = slices.DeleteFunc(best, func(c candidate) bool { return !c.tagged })
		}
		if len(best) == 1 {
			m[name] = best[0].typ
		}
	}
	fields.Store(t, m)
	return m
}

// unknownProblem says that name is not a field, and which field it may
// have been meant for when only its case differs ("CONTENT").
func unknownProblem(name string, fields map[string]reflect.Type) string {
	var like []string
	for f := range fields {
		if strings.EqualFold(f, name) {
			like = append(like, f)
		}
	}
	if len(like) == 0 {
		return problemUnknown
	}
	slices.Sort(like)
	return fmt.Sprintf("trường không có trong mẫu (tên trường phân biệt chữ hoa, chữ thường: có phải %q?) / unknown field (names are case-sensitive: did you mean %q?)", like[0], like[0])
}

// wrongType says that a value of JSON kind got cannot decode into t.
func wrongType(t reflect.Type, got jsontext.Kind) string {
	wv, we := want(t)
	gv, ge := kindName(got)
	return fmt.Sprintf("sai kiểu: cần %s, nhận %s / wrong type: want %s, got %s", wv, gv, we, ge)
}

// want names what a JSON value for t must be.
func want(t reflect.Type) (vi, en string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return "chuỗi ngày giờ RFC 3339", "an RFC 3339 date-time string"
	case decodesItself(t):
		return "giá trị khác", "another value"
	}
	switch t.Kind() {
	case reflect.String:
		return "chuỗi", "a string"
	case reflect.Bool:
		return "true hoặc false", "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "số nguyên", "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "số nguyên không âm", "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "số", "a number"
	case reflect.Struct, reflect.Map:
		return "đối tượng", "an object"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "chuỗi base64", "a base64 string"
		}
		return "mảng", "an array"
	}
	return "giá trị JSON khác", "another JSON value"
}

// kindName names a JSON kind.
func kindName(k jsontext.Kind) (vi, en string) {
	switch k {
	case '"':
		return "chuỗi", "a string"
	case '0':
		return "số", "a number"
	case 't', 'f':
		return "giá trị đúng/sai", "a boolean"
	case 'n':
		return "null", "null"
	case '{':
		return "đối tượng", "an object"
	case '[':
		return "mảng", "an array"
	}
	return "giá trị khác", "something else"
}

// numberProblem says what is wrong with JSON number raw for t, or "".
func numberProblem(raw string, t reflect.Type) string {
	shown := raw
	if len(shown) > 40 {
		shown = shown[:40] + "…"
	}
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, err = strconv.ParseInt(raw, 10, t.Bits()); err == nil {
			return ""
		}
		if errors.Is(err, strconv.ErrRange) {
			lo, hi := -(int64(1) << (t.Bits() - 1)), int64(math.MaxInt64>>(64-t.Bits()))
			return fmt.Sprintf("số %s nằm ngoài phạm vi từ %d đến %d / number %s out of range, from %d to %d", shown, lo, hi, shown, lo, hi)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if _, err = strconv.ParseUint(raw, 10, t.Bits()); err == nil {
			return ""
		}
		if errors.Is(err, strconv.ErrRange) {
			hi := uint64(math.MaxUint64 >> (64 - t.Bits()))
			return fmt.Sprintf("số %s nằm ngoài phạm vi từ 0 đến %d / number %s out of range, from 0 to %d", shown, hi, shown, hi)
		}
		if strings.HasPrefix(raw, "-") {
			return fmt.Sprintf("cần số nguyên không âm, nhận %s / want a non-negative integer, got %s", shown, shown)
		}
	case reflect.Float32, reflect.Float64:
		if _, err = strconv.ParseFloat(raw, t.Bits()); err == nil {
			return ""
		}
		return fmt.Sprintf("số %s quá lớn / number %s too large", shown, shown)
	default:
		return ""
	}
	return fmt.Sprintf("cần số nguyên, nhận %s / want an integer, got %s", shown, shown)
}

// FieldPath converts a JSON Pointer ("/appendices/0/tasks/2/priority")
// into the field path baocao names fields by
// ("appendices[0].tasks[2].priority"), reading a token as an array index
// where t, the type the pointer starts in, has an array or slice (and
// where it does not know, when the token is a number). The empty pointer
// is Root.
func FieldPath(p jsontext.Pointer, t reflect.Type) string {
	b := appendPointer(nil, p, t)
	if len(b) == 0 {
		return Root
	}
	return string(b)
}

func appendPointer(b []byte, p jsontext.Pointer, t reflect.Type) []byte {
	for tok := range p.Tokens() {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		idx, err := strconv.Atoi(tok)
		isIndex := err == nil && idx >= 0 && strconv.Itoa(idx) == tok
		switch {
		case t == nil || decodesItself(t) || t.Kind() == reflect.Interface:
			t = nil
			if isIndex {
				b = appendIndex(b, idx)
			} else {
				b = appendName(b, tok)
			}
		case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
			if isIndex {
				b = appendIndex(b, idx)
				t = t.Elem()
			} else {
				b = appendName(b, tok)
				t = nil
			}
		case t.Kind() == reflect.Struct:
			b = appendName(b, tok)
			t = fieldsOf(t)[tok]
		case t.Kind() == reflect.Map:
			b = appendName(b, tok)
			t = t.Elem()
		default:
			b = appendName(b, tok)
			t = nil
		}
	}
	return b
}

// maxName bounds the characters of a key shown in a path.
const maxName = 64

// appendName adds a key to a path: ".name", or ["name"] quoted when it is
// not a plain name (empty, with spaces, dots, brackets, quotes…, or
// starting with a digit), cut after maxName characters.
func appendName(b []byte, name string) []byte {
	plain := name != ""
	for i, r := range name {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			plain = false
			break
		}
	}
	if plain && utf8.RuneCountInString(name) <= maxName {
		if len(b) > 0 {
			b = append(b, '.')
		}
		return append(b, name...)
	}
	if utf8.RuneCountInString(name) > maxName {
		i := 0
		for n := 0; n < maxName; n++ {
			_, size := utf8.DecodeRuneInString(name[i:])
			i += size
		}
		name = name[:i] + "…"
	}
	b = append(b, '[')
	b = strconv.AppendQuote(b, name)
	return append(b, ']')
}

func appendIndex(b []byte, i int) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(i), 10)
	return append(b, ']')
}

// position gives the line and column (in characters, from 1) of a byte
// offset.
func position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
