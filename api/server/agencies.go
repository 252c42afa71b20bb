package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/reports/doc"
	"baocao/workflow"
)

func (s *Server) listAgencies(c echo.Context) error {
	list, err := s.store.ListAgencies(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

func (s *Server) getAgency(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a, err := s.store.GetAgency(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(a.Version))
	return c.JSON(http.StatusOK, a)
}

// readAgency decodes, normalises and validates an agency.
func (s *Server) readAgency(c echo.Context) (store.AgencyInput, error) {
	var in store.AgencyInput
	if err := s.decodeStrict(c, &in); err != nil {
		return in, err
	}
	fields := []textField{{"name", &in.Name}, {"short_name", &in.ShortName}, {"symbol", &in.Symbol}, {"place", &in.Place}}
	for i := range in.Header {
		fields = append(fields, textField{"header[" + itoa(i) + "]", &in.Header[i]})
	}
	if in.Aliases != nil {
		for i := range *in.Aliases {
			fields = append(fields, textField{"aliases[" + itoa(i) + "]", &(*in.Aliases)[i]})
		}
	}
	errs := s.cleanTexts(fields...)
	check := func(field, v string, required bool, limit int) {
		switch {
		case required && v == "":
			errs = append(errs, doc.FieldError{Field: field, Problem: "is required"})
		case len([]rune(v)) > limit:
			errs = append(errs, doc.FieldError{Field: field, Problem: "is too long"})
		}
	}
	check("name", in.Name, true, 300)
	check("short_name", in.ShortName, false, 300)
	check("symbol", in.Symbol, false, 30)
	check("place", in.Place, false, 100)
	if in.Symbol != "" && !doc.ValidSymbol(in.Symbol) {
		errs = append(errs, doc.FieldError{Field: "symbol", Problem: doc.SymbolProblem})
	}
	if len(in.Header) > 5 {
		errs = append(errs, doc.FieldError{Field: "header", Problem: "has more than 5 lines"})
	}
	for i, h := range in.Header {
		check("header["+itoa(i)+"]", h, true, 100)
	}
	if in.Aliases != nil {
		if len(*in.Aliases) > 50 {
			errs = append(errs, doc.FieldError{Field: "aliases", Problem: "has more than 50 names"})
		}
		for i, a := range *in.Aliases {
			check("aliases["+itoa(i)+"]", a, true, 300)
		}
	}
	if len(errs) > 0 {
		return in, validation(errs...)
	}
	return in, nil
}

func (s *Server) createAgency(c echo.Context) error {
	in, err := s.readAgency(c)
	if err != nil {
		return err
	}
	a, err := s.store.CreateAgency(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/agencies/"+itoa64(a.ID))
	c.Response().Header().Set("ETag", etagOf(a.Version))
	return c.JSON(http.StatusCreated, a)
}

func (s *Server) updateAgency(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, err := s.readAgency(c)
	if err != nil {
		return err
	}
	if in.Version, err = version(c, in.Version); err != nil {
		return err
	}
	a, err := s.store.UpdateAgency(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(a.Version))
	return c.JSON(http.StatusOK, a)
}

func (s *Server) deleteAgency(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v := int64(0)
	if c.Request().Header.Get("If-Match") != "" {
		if v, err = version(c, 0); err != nil {
			return err
		}
	}
	if err := s.store.DeleteAgency(c.Request().Context(), id, v); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// mergeInput is the body of a merge: the agency to fold into, and the
// version of the agency merged.
type mergeInput struct {
	Into    int64 `json:"into"`
	Version int64 `json:"version,omitempty"`
}

// mergeAgency folds agency {id} into another (store.MergeAgency) and
// answers the agency that remains.
func (s *Server) mergeAgency(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in mergeInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	if err := workflow.CheckMerge(id, in.Into); err != nil {
		return err
	}
	if in.Version, err = version(c, in.Version); err != nil {
		return err
	}
	m, err := s.wf.MergeAgency(c.Request().Context(), actorOf(c), id, in.Into, in.Version)
	if err != nil {
		return err
	}
	// Keys of the merged agency now act for the other: none stays cached
	// with the old agency.
	s.keys.clear()
	c.Set(auditDetailKey, m.Detail)
	c.Response().Header().Set("ETag", etagOf(m.Agency.Version))
	return c.JSON(http.StatusOK, m.Agency)
}
