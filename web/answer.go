package web

import "github.com/labstack/echo/v4"

// registerAnswerRoutes registers the staff answering pages and the JSON API (DESIGN.md §7).
func (s *Server) registerAnswerRoutes(g *echo.Group) {}
