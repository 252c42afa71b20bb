package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/reports/doc"
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
	if in.Into <= 0 {
		return validation(doc.FieldError{Field: "into", Problem: "is required: the id of the agency to merge into"})
	}
	if in.Into == id {
		return validation(doc.FieldError{Field: "into", Problem: "is the agency merged itself"})
	}
	if in.Version, err = version(c, in.Version); err != nil {
		return err
	}
	ctx := c.Request().Context()
	from, err := s.store.GetAgency(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("agency %d", id))
	} else if err != nil {
		return err
	}
	a, err := s.store.MergeAgency(ctx, id, in.Into, in.Version)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound(fmt.Sprintf("agency %d (into)", in.Into))
	case errors.Is(err, store.ErrStale):
		// The version is the body's: a conflict with someone else's change.
		return problem(http.StatusConflict, "stale-version", "Phiên bản đã cũ / Stale version",
			fmt.Sprintf("agency %d was changed by someone else since you read it (it is at version %d); read it again", id, from.Version))
	case errors.Is(err, store.ErrInvalid):
		return validation(doc.FieldError{Field: "into", Problem: strings.TrimPrefix(err.Error(), "merge: invalid: ")})
	case err != nil:
		return err
	}
	// Keys of the merged agency now act for the other: none stays cached
	// with the old agency.
	s.keys.clear()
	c.Set(auditDetailKey, fmt.Sprintf("agency %d (%s) merged into %d (%s)", id, from.Name, a.ID, a.Name))
	c.Response().Header().Set("ETag", etagOf(a.Version))
	return c.JSON(http.StatusOK, a)
}
