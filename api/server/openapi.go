package server

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"
)

//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the hand-written description with each operation's
// roles (x-roles) taken from the routes' rules, so the two cannot differ.
func (s *Server) openAPI(c echo.Context) error {
	s.openAPIOnce.Do(func() { s.openAPIDoc, s.openAPIErr = withRoles(openAPIDoc, s.rules) })
	if s.openAPIErr != nil {
		return s.openAPIErr
	}
	return c.Blob(http.StatusOK, "application/json", s.openAPIDoc)
}

var routeParam = regexp.MustCompile(`:([a-z_]+)`)

func withRoles(src []byte, rules map[string]rule) ([]byte, error) {
	var spec map[string]any
	if err := json.Unmarshal(src, &spec); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	paths, _ := spec["paths"].(map[string]any)
	for key, r := range rules {
		var method, path string
		fmt.Sscan(key, &method, &path)
		ops, _ := paths[routeParam.ReplaceAllString(path, "{$1}")].(map[string]any)
		op, _ := ops[map[string]string{"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete"}[method]].(map[string]any)
		if op == nil {
			continue
		}
		if r.public {
			op["security"] = []any{} // no credentials needed
			continue
		}
		op["x-roles"] = r.roles
	}
	return json.MarshalIndent(spec, "", "  ")
}
