package web

import "github.com/labstack/echo/v4"

// registerAdminRoutes registers the admin pages under /admin.
func (s *Server) registerAdminRoutes(g *echo.Group) {}
