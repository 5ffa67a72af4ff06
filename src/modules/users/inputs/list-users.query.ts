import { PaginationInput } from '@app/common/http/pagination.input';

/** GET /users: paging only (newest first). */
export class ListUsersQuery extends PaginationInput {}
