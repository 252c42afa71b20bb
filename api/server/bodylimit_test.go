package server

import (
	"testing"

	"baocao/api/store/storetest"
)

// TestMaxBodyBytesSetting: the body limit is the server's setting
// (--max-body-bytes, BAOCAO_MAX_BODY_BYTES), not a constant: a stateless
// render whose body is exactly the limit is rendered, one byte over it is
// 413 too-large, whatever the limit is set to.
func TestMaxBodyBytesSetting(t *testing.T) {
	body := fixtureJSON(t, "tay-son-2023")
	for _, limit := range []int64{int64(len(body)), int64(len(body)) - 1} {
		c := newClient(t, storetest.SQLite(t), Config{MaxBodyBytes: limit})
		r := c.do("POST", "/api/v1/render?doc=plan&format=pdf", body, "Content-Type", "application/json")
		switch {
		case limit == int64(len(body)) && r.status != 200:
			t.Errorf("a body of exactly the limit: %d %s", r.status, r.body)
		case limit < int64(len(body)):
			if p := c.expect(r, 413).problem(t); p.Type != problemBase+"too-large" {
				t.Errorf("over the limit: %+v", p)
			}
		}
	}
}
