package server

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/domain"
	"baocao/jobs"
	"baocao/reports/doc"
	"baocao/reports/progress"
	"baocao/reports/strictjson"
)

// The Go types behind the OpenAPI schemas. A request body's type is the
// one its handler decodes (decodeStrict); its schema must list exactly the
// keys the decoder accepts, and shut out the others (additionalProperties:
// false), as the decoder does. A response's type is the one its handler
// encodes; its schema must list exactly the keys it writes.
var schemaTypes = []struct {
	schema  string
	typ     reflect.Type
	request bool
	// bodyOf are the operations whose JSON request body is this schema.
	bodyOf []string
}{
	{"Document", reflect.TypeFor[doc.Document](), true, []string{"POST /api/v1/render"}},
	{"PlanInput", reflect.TypeFor[planInput](), true, []string{"POST /api/v1/plans", "PUT /api/v1/plans/{id}"}},
	{"TaskInput", reflect.TypeFor[taskInput](), true, []string{"POST /api/v1/plans/{id}/tasks", "PUT /api/v1/plans/{id}/tasks/{task}"}},
	{"TaskOrder", reflect.TypeFor[orderInput](), true, []string{"PUT /api/v1/plans/{id}/tasks/order"}},
	{"AgencyInput", reflect.TypeFor[domain.AgencyInput](), true, []string{"POST /api/v1/agencies", "PUT /api/v1/agencies/{id}"}},
	{"MergeInput", reflect.TypeFor[mergeInput](), true, []string{"POST /api/v1/agencies/{id}/merge"}},
	{"ProgressInput", reflect.TypeFor[domain.SubmitInput](), true, []string{"POST /api/v1/plans/{id}/progress"}},
	{"DraftInput", reflect.TypeFor[draftInput](), true, []string{"PUT /api/v1/plans/{id}/reports/{name}"}},
	{"IssueInput", reflect.TypeFor[issueInput](), true, []string{"POST /api/v1/plans/{id}/reports/{period}/issue", "POST /api/v1/plans/{id}/letters/{letter}/issue"}},
	{"LetterInput", reflect.TypeFor[letterInput](), true, []string{"POST /api/v1/plans/{id}/letters", "PUT /api/v1/plans/{id}/letters/{name}"}},
	{"VersionInput", reflect.TypeFor[versionInput](), true, []string{"POST /api/v1/plans/{id}/reports/{period}/reopen", "POST /api/v1/plans/{id}/reports/{period}/replace", "POST /api/v1/plans/{id}/issue"}},
	{"ReopenInput", reflect.TypeFor[reopenInput](), true, []string{"POST /api/v1/plans/{id}/reopen"}},
	{"ReturnInput", reflect.TypeFor[returnInput](), true, []string{"POST /api/v1/plans/{id}/progress/{submission}/return"}},
	{"UserInput", reflect.TypeFor[userInput](), true, []string{"POST /api/v1/users"}},
	{"KeyInput", reflect.TypeFor[keyInput](), true, []string{"POST /api/v1/keys"}},

	{"Plan", reflect.TypeFor[planJSON](), false, nil},
	{"TaskItem", reflect.TypeFor[taskJSON](), false, nil},
	{"StoredAgency", reflect.TypeFor[domain.Agency](), false, nil},
	{"PlanSummary", reflect.TypeFor[domain.PlanSummary](), false, nil},
	{"FieldError", reflect.TypeFor[doc.FieldError](), false, nil},
	{"Problem", reflect.TypeFor[Problem](), false, nil},
	{"Submission", reflect.TypeFor[domain.Submission](), false, nil},
	{"Return", reflect.TypeFor[domain.Return](), false, nil},
	{"Board", reflect.TypeFor[progress.Board](), false, nil},
	{"Report", reflect.TypeFor[reportJSON](), false, nil},
	{"ReportRef", reflect.TypeFor[otherReport](), false, nil},
	{"Letter", reflect.TypeFor[letterJSON](), false, nil},
	{"User", reflect.TypeFor[domain.User](), false, nil},
	{"APIKey", reflect.TypeFor[domain.APIKey](), false, nil},
	{"AuditEntry", reflect.TypeFor[store.AuditEntry](), false, nil},
	{"TaskWithProgress", reflect.TypeFor[domain.TaskRef](), false, nil},
	{"SignedFile", reflect.TypeFor[domain.SignedFile](), false, nil},
	{"VerifyResult", reflect.TypeFor[verifiedJSON](), false, nil},
	{"VerifiedSignature", reflect.TypeFor[verifiedSignature](), false, nil},
	{"IssuedMatch", reflect.TypeFor[domain.IssuedMatch](), false, nil},
	{"PlanIssue", reflect.TypeFor[planIssueJSON](), false, nil},
	{"Job", reflect.TypeFor[jobs.Job](), false, nil},
	{"JobError", reflect.TypeFor[jobs.JobError](), false, nil},
	{"JobResult", reflect.TypeFor[jobs.Result](), false, nil},
}

// TestOpenAPISchemasMatchTypes walks each schema beside its Go type, field
// by field and into nested objects, lists and maps: a field added to a
// type but not to its schema, or described but not in the type, fails, and
// so does a JSON type that differs (a number described as a string).
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range schemaTypes {
		t.Run(st.schema, func(t *testing.T) {
			w := &schemaWalk{spec: spec, request: st.request, seen: map[string]bool{}}
			w.walk("#/components/schemas/"+st.schema, st.schema, st.typ)
			for _, p := range w.problems {
				t.Error(p)
			}
			for _, op := range st.bodyOf {
				method, path, _ := strings.Cut(op, " ")
				got, ok := spec.at(requestSchema(method, path) + "/$ref")
				if want := "#/components/schemas/" + st.schema; !ok || got != want {
					t.Errorf("%s: the JSON request body is %v, want %s (the handler decodes %v)", op, got, want, st.typ)
				}
			}
		})
	}
}

// TestOpenAPIRequestBodiesTyped: every operation with a JSON request body
// is in schemaTypes, so that no body escapes TestOpenAPISchemasMatchTypes.
func TestOpenAPIRequestBodiesTyped(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, st := range schemaTypes {
		for _, op := range st.bodyOf {
			known[op] = true
		}
	}
	for _, o := range spec.ops {
		if _, ok := spec.at(requestSchema(o.method, o.path)); ok && !known[o.method+" "+o.path] {
			t.Errorf("%s %s has a JSON request body that schemaTypes does not name", o.method, o.path)
		}
	}
}

type schemaWalk struct {
	spec     *apiSpec
	request  bool
	seen     map[string]bool
	problems []string
}

func (w *schemaWalk) fail(where, format string, args ...any) {
	w.problems = append(w.problems, where+": "+fmt.Sprintf(format, args...))
}

// resolve follows $ref to a schema object; ref is the pointer of the
// schema ("#/components/schemas/X") or "" for an inline one.
func (w *schemaWalk) resolve(s any) (map[string]any, string) {
	m, _ := s.(map[string]any)
	ref := ""
	for m != nil {
		r, ok := m["$ref"].(string)
		if !ok {
			break
		}
		ref = r
		v, _ := w.spec.at(strings.TrimPrefix(r, "#"))
		m, _ = v.(map[string]any)
	}
	return m, ref
}

// types are the JSON types a schema allows ("" when it does not say).
func schemaTypesOf(m map[string]any) []string {
	switch v := m["type"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

func (w *schemaWalk) walk(s any, where string, t reflect.Type) {
	var m map[string]any
	var ref string
	if p, ok := s.(string); ok {
		v, _ := w.spec.at(strings.TrimPrefix(p, "#"))
		m, ref = w.resolve(v)
		ref = p
	} else {
		m, ref = w.resolve(s)
	}
	if m == nil {
		w.fail(where, "no schema")
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if ref != "" {
		key := ref + " " + t.String()
		if w.seen[key] {
			return
		}
		w.seen[key] = true
	}
	types := schemaTypesOf(m)
	want := jsonType(t)
	ok := want == "" || len(types) == 0 || slices.Contains(types, want) ||
		want == "integer" && slices.Contains(types, "number")
	if !ok {
		w.fail(where, "the schema's type is %v, the Go type %v is a JSON %s", types, t, want)
	}
	if strictjson.DecodesItself(t) || want != "object" && want != "array" {
		return
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return
		}
		items, ok := m["items"]
		if !ok {
			w.fail(where, "an array (%v) without items", t)
			return
		}
		w.walk(items, where+"[]", t.Elem())
	case reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			return
		}
		ap, ok := m["additionalProperties"].(map[string]any)
		if !ok {
			if props, _ := m["properties"].(map[string]any); len(props) > 0 {
				for k, p := range props {
					w.walk(p, where+"."+k, t.Elem())
				}
				return
			}
			w.fail(where, "a map (%v) without additionalProperties", t)
			return
		}
		w.walk(ap, where+"{}", t.Elem())
	case reflect.Struct:
		props, _ := m["properties"].(map[string]any)
		fields := strictjson.Fields(t)
		var missing, extra []string
		for k := range fields {
			if _, ok := props[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range props {
			if _, ok := fields[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 {
			w.fail(where, "fields of %v missing from the schema: %v", t, missing)
		}
		if len(extra) > 0 {
			w.fail(where, "properties not in %v: %v", t, extra)
		}
		if w.request {
			if ap, ok := m["additionalProperties"]; !ok || ap != false {
				w.fail(where, "the decoder refuses unknown fields of %v; the schema must say additionalProperties: false", t)
			}
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := props[k]; ok {
				w.walk(p, where+"."+k, fields[k])
			}
		}
	}
}

// jsonType is the JSON type a Go type is written as ("" when it decides
// itself: doc.Date, doc.Deadline, time.Time are strings).
func jsonType(t reflect.Type) string {
	if strictjson.DecodesItself(t) {
		return "string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return ""
}

// TestOpenAPIEnums: the values the description lists are the ones the code
// knows: document kinds, the statuses a lead agency reports and those of
// the status board, roles and key scopes.
func TestOpenAPIEnums(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	reported := slices.Sorted(maps.Keys(progress.ReportedNames))
	scopes := append([]string{auth.ScopeRender}, auth.Roles...)
	for _, c := range []struct {
		ptr  string
		want []string
	}{
		{"/components/schemas/Document/properties/kind/enum", slices.Collect(maps.Keys(doc.Kinds))},
		{"/components/schemas/PlanInput/properties/kind/enum", slices.Collect(maps.Keys(doc.Kinds))},
		{"/components/schemas/ProgressInput/properties/status/enum", reported},
		{"/components/schemas/Submission/properties/status/enum", reported},
		{"/components/schemas/QuarterStatus/properties/status/enum", append(slices.Clone(reported), progress.NotReported)},
		{"/components/schemas/BoardRow/properties/status/enum", progress.Statuses},
		{"/components/schemas/LeadStatus/properties/status/enum", progress.Statuses},
		{"/components/schemas/AgencySummary/properties/counts/propertyNames/enum", progress.Statuses},
		{"/components/schemas/Board/properties/counts/propertyNames/enum", progress.Statuses},
		{"/components/schemas/Board/properties/pair_counts/propertyNames/enum", progress.Statuses},
		{"/components/schemas/Board/properties/shares/propertyNames/enum", progress.Statuses},
		{"/components/schemas/User/properties/role/enum", auth.Roles},
		{"/components/schemas/UserInput/properties/role/enum", auth.Roles},
		{"/components/schemas/KeyInput/properties/scope/enum", scopes},
		{"/components/schemas/APIKey/properties/scope/enum", scopes},
	} {
		v, ok := spec.at(c.ptr)
		list, _ := v.([]any)
		var got []string
		for _, x := range list {
			s, _ := x.(string)
			got = append(got, s)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !ok || !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", c.ptr, got, want)
		}
	}
}
