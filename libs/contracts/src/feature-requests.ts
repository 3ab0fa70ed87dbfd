import type { FeatureRequestStatus } from '@crm/events';

export type { FeatureRequestStatus };

/** A feature request as the board shows it. */
export interface FeatureRequest {
  id: string;
  title: string;
  body: string;
  status: FeatureRequestStatus;
  votes: number;
  /** Whether the reader voted for it. */
  voted: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** GET /api/feature-requests?status=: by status, most votes first (then oldest first). */
export interface FeatureRequestList {
  requests: FeatureRequest[];
}

/** POST /api/feature-requests */
export interface FileFeatureRequestBody {
  title: string;
  body?: string;
}

/** PATCH /api/feature-requests/:id (status: admins only) */
export interface ChangeFeatureRequestBody {
  title?: string;
  body?: string;
  status?: FeatureRequestStatus;
}
