package doc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/sample"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../testdata/plans", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fieldsOf returns the fields of a *ValidationError, failing otherwise.
func fieldsOf(t *testing.T, err error) []doc.FieldError {
	t.Helper()
	var ve *doc.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %T: %v", err, err)
	}
	return ve.Fields
}

// TestDecodeStrict: the problems of issue 10, all reported at once with
// their full paths, in Vietnamese and English.
func TestDecodeStrict(t *testing.T) {
	hostile, err := sample.HostilePlan(readFixture(t, "lai-chau-2024"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = doc.Decode(bytes.NewReader(hostile))
	got := fieldsOf(t, err)
	var names []string
	for _, f := range got {
		names = append(names, f.Field)
	}
	if !slices.Equal(names, sample.HostileFields) {
		t.Errorf("fields %q, want %q", names, sample.HostileFields)
	}
	want := map[string]string{
		"appendices[0].tasks[0].CONTENT":  `trường không có trong mẫu (tên trường phân biệt chữ hoa, chữ thường: có phải "content"?) / unknown field (names are case-sensitive: did you mean "content"?)`,
		"appendices[0].tasks[0].deadline": "sai kiểu: cần chuỗi ghi thời hạn",
		"appendices[0].tasks[1].lead":     "sai kiểu: cần mảng, nhận chuỗi / wrong type: want an array, got a string",
		"appendices[0].tasks[2].priority": "trường không có trong mẫu / unknown field",
		"title":                           "trường bị lặp lại trong cùng một đối tượng / duplicate field in the same object",
	}
	for _, f := range got {
		if !strings.HasPrefix(f.Problem, want[f.Field]) {
			t.Errorf("%s: %q, want it to start with %q", f.Field, f.Problem, want[f.Field])
		}
	}

	for _, c := range []struct {
		name, in string
		want     []string // field: start of problem
	}{
		{"miscased key", `{"KIND": "KH"}`, []string{"KIND: trường không có trong mẫu (tên trường phân biệt"}},
		{"duplicate in a nested object", `{"agency": {"name": "A", "name": "B"}}`, []string{"agency.name: trường bị lặp lại"}},
		{"wrong types with indexes", `{"appendices": [{"tasks": [{}, {"lead": ["A", 5]}]}], "number": "1"}`,
			[]string{"appendices[0].tasks[1].lead[1]: sai kiểu: cần chuỗi, nhận số", "number: sai kiểu: cần số nguyên, nhận chuỗi"}},
		{"fraction for an integer", `{"report_due_day": 15.5}`, []string{"report_due_day: cần số nguyên, nhận 15.5"}},
		{"deadline object", `{"appendices": [{"tasks": [{"deadline": {"q": 2}}]}]}`, []string{"appendices[0].tasks[0].deadline: sai kiểu: cần chuỗi ghi thời hạn"}},
		{"promulgating decision", `{"promulgated_by": {"signature": {"signer": "A", "seal": true}}}`, []string{"promulgated_by.signature.seal: trường không có trong mẫu"}},
		{"odd key", `{"a.b": 1, "": 2}`, []string{`["a.b"]: trường không có trong mẫu`, `[""]: trường không có trong mẫu`}},
		{"syntax", "{\n  \"kind\": \"KH\",\n  oops\n}", []string{"$: JSON không hợp lệ ở dòng 3, cột 3 (byte 20) / invalid JSON at line 3, column 3 (byte 20)"}},
		{"syntax in a field", `{"agency": {"name": tru}}`, []string{"agency.name: JSON không hợp lệ ở dòng 1, cột 24"}},
		{"trailing data", `{} {}`, []string{"$: có dữ liệu thừa sau giá trị JSON ở dòng 1, cột 4"}},
		{"empty", ` `, []string{"$: tài liệu JSON rỗng / the JSON document is empty"}},
		{"null", `null`, []string{"$: sai kiểu: cần đối tượng, nhận null"}},
		{"array", `[]`, []string{"$: sai kiểu: cần đối tượng, nhận mảng"}},
		{"invalid UTF-8", "{\"title\": \"\xff\"}", []string{"title: JSON không hợp lệ ở dòng 1, cột 12 (byte 11)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := doc.Decode(strings.NewReader(c.in))
			got := fieldsOf(t, err)
			if len(got) != len(c.want) {
				t.Fatalf("%d problems, want %d: %v", len(got), len(c.want), err)
			}
			for i, f := range got {
				if s := f.Field + ": " + f.Problem; !strings.HasPrefix(s, c.want[i]) {
					t.Errorf("problem %d: %q, want it to start with %q", i, s, c.want[i])
				}
			}
		})
	}
}

// TestDecodeKeepsMethods: Date and Deadline still decode through their
// own methods, and an impossible date is still the validator's, with its
// field.
func TestDecodeKeepsMethods(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(readFixture(t, "thanh-tri-2022"), &m); err != nil {
		t.Fatal(err)
	}
	d, err := doc.Decode(bytes.NewReader(readFixture(t, "thanh-tri-2022")))
	if err != nil {
		t.Fatal(err)
	}
	if d.Date.String() != m["date"] || d.Appendices[0].Tasks[0].Deadline.Text == "" {
		t.Errorf("date %v, first deadline %q", d.Date, d.Appendices[0].Tasks[0].Deadline.Text)
	}
	m["date"] = "2024-02-31"
	b, _ := json.Marshal(m)
	_, err = doc.Decode(bytes.NewReader(b))
	if f := fieldsOf(t, err); len(f) != 1 || f[0].Field != "date" || !strings.Contains(f[0].Problem, "no such day") {
		t.Errorf("impossible date: %v", err)
	}
}

// FuzzDecode: the document decoder never panics; what it accepts
// validates and survives a round trip; what it refuses it refuses with
// field errors, every one naming its field.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	if len(files) < 5 {
		f.Fatalf("want the five seed fixtures, found %d", len(files))
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	hostile, err := sample.HostilePlan(readFixture(f, "lai-chau-2024"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(hostile)
	for _, s := range []string{
		`{"CONTENT": "x"}`,
		`{"title": "a", "title": "b"}`,
		`{"appendices": [{"tasks": [{}, {}, {"priority": 1}]}]}`,
		`{"appendices": [{"tasks": [{}, {"lead": "Sở Nội vụ"}]}]}`,
		`{"appendices": [{"tasks": [{"deadline": 5}]}]}`,
		`{"kind": "KH", "date": "2024-02-31", "agency": {"name": "A", "symbol": "A", "place": "B"}, "title": "T"}`,
		`{"kind": "KH", "date": "2024", "agency": {"name": "A", "symbol": "A", "place": "B", "parent": {"name": "P"}}, "title": "T", "appendices": [{"title": "P", "tasks": [{"content": "c", "lead": ["L"], "deadline": "Quý II"}]}]}`,
		`{"promulgated_by": {"promulgated_by": {"kind": 1}}}`,
		`{"number": 1e400, "report_due_day": -1.5}`,
		`{"a": {"b": [1, {"c": null}]}, "a": 1}`,
		``, `null`, `[]`, `"KH"`, `{} {}`, "{\"title\": \"\xff\"}", `{"title": "\u0000"}`,
		strings.Repeat(`{"promulgated_by":`, 50) + `{}` + strings.Repeat(`}`, 50),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := doc.Decode(bytes.NewReader(data))
		if err == nil {
			if err := d.Validate(); err != nil {
				t.Fatalf("accepted a document that does not validate: %v", err)
			}
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatalf("accepted a document that does not encode: %v", err)
			}
			if _, err := doc.Decode(bytes.NewReader(b)); err != nil {
				t.Fatalf("an accepted document, encoded, is refused: %v\n%s", err, b)
			}
			return
		}
		var ve *doc.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) == 0 {
			t.Fatalf("refused without field errors: %T %v", err, err)
		}
		for _, fe := range ve.Fields {
			if fe.Field == "" || fe.Problem == "" {
				t.Fatalf("a problem without its field: %+v in %v", fe, err)
			}
		}
	})
}
