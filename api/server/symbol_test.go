package server

import (
	"encoding/json"
	"testing"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/doc"
)

func TestSymbolsAtTheDoor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		for _, bad := range []string{"../etc/passwd", "S NV", "SNV/", "-SNV", "S.N.V", "SNV;"} {
			p := c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Nội vụ " + bad, "symbol": bad}), 422).problem(t)
			if !hasField(p, "symbol") {
				t.Errorf("agency symbol %q: %+v", bad, p)
			}
		}
		c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Nội vụ", "symbol": "SNV"}), 201)
		c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Ban Quản lý", "symbol": "BQLĐT"}), 201)

		var plan map[string]any
		if err := json.Unmarshal(fixtureJSON(t, "lai-chau-2024"), &plan); err != nil {
			t.Fatal(err)
		}
		plan["symbol"] = "310/../../../etc/passwd"
		p := c.expect(c.do("POST", "/api/v1/plans", plan), 422).problem(t)
		if !hasField(p, "symbol") {
			t.Errorf("document symbol: %+v", p)
		}
		for _, e := range p.Errors {
			if e.Field == "symbol" && e.Problem != doc.SymbolProblem {
				t.Errorf("symbol problem %q", e.Problem)
			}
		}
		plan["symbol"] = "QĐ-UBND"
		c.expect(c.do("POST", "/api/v1/plans", plan), 201)
	})
}
