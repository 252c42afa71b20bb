package server

import (
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"baocao/api/store/storetest"
)

// TestOpenAPICoversRoutes fails when a route is missing from the OpenAPI
// description, or documented but not served.
func TestOpenAPICoversRoutes(t *testing.T) {
	var spec struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Errorf("openapi version %q", spec.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options":
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	s, err := New(Config{}, storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	served := map[string]bool{}
	for _, r := range s.Echo().Routes() {
		if strings.HasPrefix(r.Method, "echo_") || r.Path == "" {
			continue
		}
		if !strings.HasPrefix(r.Path, "/api/") && !strings.HasSuffix(r.Path, "z") && r.Path != "/metrics" {
			continue // a web page, not the API
		}
		served[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("documented but not served: %v", extra)
	}
}

// TestOpenAPIRoles: the served description names each operation's roles
// from the rules the server enforces.
func TestOpenAPIRoles(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	var spec struct {
		Paths map[string]map[string]struct {
			Roles    []string `json:"x-roles"`
			Security *[]any   `json:"security"`
		} `json:"paths"`
	}
	c.expect(c.as("", 0).do("GET", "/api/v1/openapi.json", nil), 200).json(t, &spec)
	if got := spec.Paths["/api/v1/plans/{id}/progress"]["post"].Roles; strings.Join(got, ",") != "admin,reporter" {
		t.Errorf("progress post roles %v", got)
	}
	if got := spec.Paths["/api/v1/exports/audit.csv"]["get"].Roles; strings.Join(got, ",") != "admin,auditor" {
		t.Errorf("audit export roles %v", got)
	}
	if sec := spec.Paths["/healthz"]["get"].Security; sec == nil || len(*sec) != 0 {
		t.Errorf("healthz should need no credentials: %v", sec)
	}
}

// TestOpenAPIServedSchemas: the description the tests validate with
// (openapi_check_test.go) is the one served, but for the roles the server
// adds to each operation.
func TestOpenAPIServedSchemas(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	var served, embedded struct {
		Components json.RawMessage `json:"components"`
	}
	c.expect(c.as("", 0).do("GET", "/api/v1/openapi.json", nil), 200).json(t, &served)
	if err := json.Unmarshal(openAPIDoc, &embedded); err != nil {
		t.Fatal(err)
	}
	var a, b any
	if json.Unmarshal(served.Components, &a) != nil || json.Unmarshal(embedded.Components, &b) != nil || !reflect.DeepEqual(a, b) {
		t.Error("the served components differ from openapi.json's")
	}
}
