package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/domain"
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

func (s *Server) createAgency(c echo.Context) error {
	var in domain.AgencyInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	a, err := s.wf.CreateAgency(c.Request().Context(), actorOf(c), in)
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
	var in domain.AgencyInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	if err := s.wf.CheckAgency(&in); err != nil {
		return err
	}
	if in.Version, err = version(c, in.Version); err != nil {
		return err
	}
	a, err := s.wf.UpdateAgency(c.Request().Context(), actorOf(c), id, in)
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
	if err := s.wf.DeleteAgency(c.Request().Context(), actorOf(c), id, v); err != nil {
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
