package strictjson_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"baocao/api/demo"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/progress"
	"baocao/reports/report"
	"baocao/reports/strictjson"
)

// v1 decodes itself with an encoding/json method.
type v1 struct{ S string }

func (v *v1) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '"' {
		return errors.New("want a quoted word")
	}
	v.S = string(b)
	return nil
}

// v2 decodes itself with a JSON v2 method that speaks both languages.
type v2 struct{ S string }

func (v *v2) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	val, err := d.ReadValue()
	if err != nil {
		return err
	}
	if val.Kind() != '"' {
		return strictjson.Invalid("cần một từ / want a word")
	}
	v.S = val.String()
	return nil
}

type inner struct {
	Name  string   `json:"name"`
	Tags  []string `json:"tags,omitempty"`
	Count uint8    `json:"count,omitempty"`
}

type Embedded struct {
	Shared string `json:"shared"`
	Hidden string `json:"-"`
}

type target struct {
	Embedded
	ID       int64             `json:"id"`
	Ratio    float32           `json:"ratio"`
	On       bool              `json:"on"`
	Items    []inner           `json:"items"`
	Ptr      *inner            `json:"ptr,omitempty"`
	Map      map[string]inner  `json:"map,omitempty"`
	Any      any               `json:"any,omitempty"`
	When     time.Time         `json:"when,omitzero"`
	Old      v1                `json:"old"`
	New      v2                `json:"new"`
	Untagged string            // matched as "Untagged", exactly
	private  string            // never decoded
	Raw      jsontext.Value    `json:"raw,omitempty"`
	Bytes    []byte            `json:"bytes,omitempty"`
	Nested   map[string][]bool `json:"nested,omitempty"`
}

func problems(t *testing.T, in string) []string {
	t.Helper()
	var v target
	err := strictjson.Decode([]byte(in), &v)
	if err == nil {
		return nil
	}
	var se *strictjson.Error
	if !errors.As(err, &se) {
		t.Fatalf("%s: want a *strictjson.Error, got %T %v", in, err, err)
	}
	var out []string
	for _, p := range se.Problems {
		if p.Field == "" || p.Problem == "" || !strings.Contains(p.Problem, " / ") {
			t.Errorf("%s: problem without its field or both languages: %+v", in, p)
		}
		out = append(out, p.Field+": "+p.Problem)
	}
	return out
}

func TestDecode(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string // each problem starts so
	}{
		{"valid", `{"shared": "s", "id": 1, "ratio": 0.5, "on": true, "items": [{"name": "a", "tags": ["x"], "count": 255}],
			"ptr": null, "map": {"k": {"name": "b"}}, "any": {"a": [1, {"b": null}]}, "when": "2024-03-10T09:00:00+07:00",
			"old": "w", "new": "w", "Untagged": "u", "raw": {"z": 1}, "bytes": "AQI=", "nested": {"a": [true]}}`, nil},
		{"nulls are zero values", `{"shared": null, "id": null, "items": null, "items": null}`, []string{"items: trường bị lặp lại"}},
		{"every problem with its path", `{"id": "1", "items": [{"name": 1}, {"tags": ["a", 2], "count": 256, "colour": "x"}], "Shared": "s"}`, []string{
			"id: sai kiểu: cần số nguyên, nhận chuỗi / wrong type: want an integer, got a string",
			"items[0].name: sai kiểu: cần chuỗi, nhận số / wrong type: want a string, got a number",
			"items[1].tags[1]: sai kiểu: cần chuỗi, nhận số",
			"items[1].count: số 256 nằm ngoài phạm vi từ 0 đến 255 / number 256 out of range, from 0 to 255",
			"items[1].colour: trường không có trong mẫu / unknown field",
			`Shared: trường không có trong mẫu (tên trường phân biệt chữ hoa, chữ thường: có phải "shared"?) / unknown field (names are case-sensitive: did you mean "shared"?)`,
		}},
		{"untagged names are exact", `{"untagged": "u", "Hidden": "h", "private": "p"}`, []string{
			`untagged: trường không có trong mẫu (tên trường phân biệt chữ hoa, chữ thường: có phải "Untagged"?)`,
			"Hidden: trường không có trong mẫu / unknown field",
			"private: trường không có trong mẫu / unknown field",
		}},
		{"duplicates everywhere", `{"map": {"k": {}, "k": {}}, "any": {"a": 1, "a": 2}, "ptr": {"name": "a", "name": "b"}, "on": true, "on": false}`, []string{
			"map.k: trường bị lặp lại", "any.a: trường bị lặp lại", "ptr.name: trường bị lặp lại", "on: trường bị lặp lại",
		}},
		{"methods keep their errors, with the path", `{"old": 5, "new": [1], "when": "yesterday", "items": [{"name": "a"}]}`, []string{
			"old: giá trị không hợp lệ / invalid value: want a quoted word",
			"new: cần một từ / want a word",
			"when: giá trị không hợp lệ / invalid value",
		}},
		{"numbers", `{"id": 1.5, "ratio": 1e300, "items": [{"count": -1}], "ptr": {"count": 1e2}}`, []string{
			"id: cần số nguyên, nhận 1.5 / want an integer, got 1.5",
			"ratio: số 1e300 quá lớn / number 1e300 too large",
			"items[0].count: cần số nguyên không âm, nhận -1",
			"ptr.count: cần số nguyên, nhận 1e2 / want an integer, got 1e2",
		}},
		{"kinds", `{"on": "yes", "items": {}, "ptr": [], "map": [], "bytes": 5, "nested": {"a": "t"}}`, []string{
			"on: sai kiểu: cần true hoặc false, nhận chuỗi",
			"items: sai kiểu: cần mảng, nhận đối tượng",
			"ptr: sai kiểu: cần đối tượng, nhận mảng",
			"map: sai kiểu: cần đối tượng, nhận mảng",
			"bytes: sai kiểu: cần chuỗi base64, nhận số",
			"nested.a: sai kiểu: cần mảng, nhận chuỗi",
		}},
		{"odd keys are quoted", `{"a b": 1, "": 2, "x/y~z": 3, "` + strings.Repeat("d", 70) + `": 4, "map": {"k.1": 1}}`, []string{
			`["a b"]: trường không có`, `[""]: trường không có`, `["x/y~z"]: trường không có`,
			`["` + strings.Repeat("d", 64) + `…"]: trường không có`,
			`map["k.1"]: sai kiểu: cần đối tượng, nhận số`,
		}},
		{"root", `[1]`, []string{"$: sai kiểu: cần đối tượng, nhận mảng / wrong type: want an object, got an array"}},
		{"root null", `null`, []string{"$: sai kiểu: cần đối tượng, nhận null"}},
		{"empty", "\n", []string{"$: tài liệu JSON rỗng / the JSON document is empty"}},
		{"cut short", `{"items": [{"name": "a"`, []string{"items[0]: JSON không hợp lệ ở dòng 1, cột 24 (byte 23) / invalid JSON at line 1, column 24 (byte 23): cut short"}},
		{"syntax, lines and characters", "{\n  \"shared\": \"Sở\",\n  \"id\": 01\n}", []string{"$: JSON không hợp lệ ở dòng 3, cột 10 (byte 31) / invalid JSON at line 3, column 10 (byte 31): invalid character '1' after object value"}},
		{"syntax in a nested value", "{\"items\": [{\"name\": \"Sở\"}, {\"name\": nul}]}", []string{"items[1].name: JSON không hợp lệ ở dòng 1, cột 40 (byte 41)"}},
		{"trailing", "{}\n\n  x", []string{"$: có dữ liệu thừa sau giá trị JSON ở dòng 3, cột 3 (byte 6)"}},
		{"no comments", `{"id": 1 /* one */}`, []string{"$: JSON không hợp lệ ở dòng 1, cột 10 (byte 9)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := problems(t, c.in)
			if len(got) != len(c.want) {
				t.Fatalf("%d problems, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("problem %d:\n%s\nwant it to start with\n%s", i, got[i], c.want[i])
				}
			}
		})
	}
}

// TestDecodeSets: a decoded value is the one JSON v2 makes; a refused
// input leaves the target alone.
func TestDecodeSets(t *testing.T) {
	var v target
	if err := strictjson.Decode([]byte(`{"shared": "s", "items": [{"name": "a"}], "old": "w", "new": "n"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Shared != "s" || len(v.Items) != 1 || v.Items[0].Name != "a" || v.Old.S != `"w"` || v.New.S != `"n"` {
		t.Errorf("decoded %+v", v)
	}
	before := v
	if err := strictjson.Decode([]byte(`{"shared": "t", "bogus": 1}`), &v); err == nil || v.Shared != before.Shared {
		t.Errorf("refused input changed the target: %+v (%v)", v, err)
	}
	if err := strictjson.Decode([]byte(`{}`), v); err == nil || errors.As(err, new(*strictjson.Error)) {
		t.Errorf("not a pointer: %v", err)
	}
}

func TestMaxProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 500 {
		fmt.Fprintf(&b, `"u%d": 1, `, i)
	}
	b.WriteString(`"id": 1}`)
	var v target
	var se *strictjson.Error
	if err := strictjson.Decode([]byte(b.String()), &v); !errors.As(err, &se) || len(se.Problems) != strictjson.MaxProblems {
		t.Errorf("want %d problems: %v", strictjson.MaxProblems, err)
	}
}

func TestFieldPath(t *testing.T) {
	docType := reflect.TypeFor[doc.Document]()
	for _, c := range []struct {
		ptr  jsontext.Pointer
		t    reflect.Type
		want string
	}{
		{"", docType, "$"},
		{"/appendices/0/tasks/2/priority", docType, "appendices[0].tasks[2].priority"},
		{"/appendices/0/tasks/1/lead", docType, "appendices[0].tasks[1].lead"},
		{"/promulgated_by/agency/parent/header/3", docType, "promulgated_by.agency.parent.header[3]"},
		{"/appendices/x", docType, `appendices.x`},
		{"/0/1", reflect.TypeFor[map[string][]int](), `["0"][1]`},
		{"/a~1b/c~0d", nil, `["a/b"]["c~d"]`},
		{"/items/01", reflect.TypeFor[target](), `items["01"]`},
		{"/any/0/x", reflect.TypeFor[target](), `any[0].x`},
	} {
		if got := strictjson.FieldPath(c.ptr, c.t); got != c.want {
			t.Errorf("%q: %q, want %q", c.ptr, got, c.want)
		}
	}
}

// TestFieldsAgreeWithV2: for every struct type the command line, the demo
// data and the API decode (those outside api/server; its own are
// exercised by its tests), the walk knows exactly the keys JSON v2
// knows: a value with every field set, written by JSON v2, has the keys
// the walk accepts, and each is decoded by JSON v2 without complaint.
func TestFieldsAgreeWithV2(t *testing.T) {
	roots := []reflect.Type{
		reflect.TypeFor[doc.Document](), reflect.TypeFor[progress.File](), reflect.TypeFor[report.Narrative](),
		reflect.TypeFor[demo.AgencyFile](), reflect.TypeFor[domain.AgencyInput](), reflect.TypeFor[domain.SubmitInput](),
		reflect.TypeFor[target](),
	}
	seen := map[reflect.Type]bool{}
	var check func(typ reflect.Type)
	check = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == reflect.TypeFor[time.Time]() ||
			reflect.PointerTo(typ).Implements(reflect.TypeFor[json.UnmarshalerFrom]()) ||
			reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Unmarshaler]()) {
			return
		}
		seen[typ] = true
		v := reflect.New(typ)
		fill(v.Elem(), 0)
		b, err := json.Marshal(v.Interface(), json.Deterministic(true))
		if err != nil {
			t.Fatalf("%v: %v", typ, err)
		}
		var m map[string]jsontext.Value
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var v2keys []string
		for k := range m {
			v2keys = append(v2keys, k)
		}
		slices.Sort(v2keys)
		walkKeys := strictjson.FieldNames(typ)
		if !slices.Equal(v2keys, walkKeys) {
			t.Errorf("%v: JSON v2 writes %q, the walk knows %q", typ, v2keys, walkKeys)
		}
		for _, k := range walkKeys {
			obj := fmt.Appendf(nil, `{%q: %s}`, k, m[k])
			var se *json.SemanticError
			if err := json.Unmarshal(obj, reflect.New(typ).Interface(), strictjson.Options); errors.As(err, &se) && errors.Is(se.Err, json.ErrUnknownName) {
				t.Errorf("%v: JSON v2 does not know %s: %v", typ, obj, err)
			}
		}
		for i := range typ.NumField() {
			check(typ.Field(i).Type)
		}
	}
	for _, r := range roots {
		check(r)
	}
	if len(seen) < 10 {
		t.Errorf("only %d struct types checked", len(seen))
	}
}

// fill sets every settable field of v to a value that is not empty.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		if depth < 3 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), depth+1)
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[jsontext.Value]() {
			v.SetBytes([]byte("1"))
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth+1)
		m.SetMapIndex(reflect.ValueOf("k").Convert(v.Type().Key()), e)
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf("x"))
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
			return
		}
		if v.Type() == reflect.TypeFor[doc.Date]() {
			v.Set(reflect.ValueOf(doc.Date{Year: 2024}))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	}
}
