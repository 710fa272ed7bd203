/** Every HTTP route the server answers, in the order the router tries them (tests/server/route-auth.test.ts walks this list). */
import type { Services } from '../services.ts';
import { photoRoutes } from '../photos/photo-routes.ts';
import { accountRoutes } from './account-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { docRoutes } from './doc-routes.ts';
import type { Route } from './http.ts';
import { knowledgeRoutes } from './knowledge-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { orderRoutes } from './order-routes.ts';
import { orgRoutes } from './org-routes.ts';
import { reportRoutes } from './report-routes.ts';

export function serverRoutes(services: Services): Route[] {
  return [
    ...opsRoutes(services),
    ...authRoutes(services),
    ...accountRoutes(services),
    ...orderRoutes(services),
    ...docRoutes(services),
    ...orgRoutes(services),
    ...photoRoutes(services),
    ...reportRoutes(services),
    ...knowledgeRoutes(services),
  ];
}
