import { Injectable } from '@nestjs/common';
import { ApiError } from '@app/common/errors/api.error';
import { page } from '@app/common/http/pagination.input';
import { AdminListOrdersQuery } from '../inputs/admin-list-orders.query';
import { ListOrdersQuery } from '../inputs/list-orders.query';
import { toAdminOrderView, toOrderDetailView, toTimeline } from '../outputs/order-detail.view';
import { toOrderView } from '../outputs/order.view';
import { OrdersRepository } from '../repositories/orders.repository';

/** GET /orders, GET /orders/:id and their admin counterparts. */
@Injectable()
export class OrdersQueryService {
  constructor(private readonly repo: OrdersRepository) {}

  async get(partnerId: string, id: string) {
    const order = await this.repo.findForPartner(partnerId, id);
    if (!order) throw ApiError.notFound('Order');
    return toOrderDetailView(order, await this.repo.timeline(id));
  }

  async list(partnerId: string, q: ListOrdersQuery) {
    const { items, total } = await this.repo.listForPartner(partnerId, q, q);
    return page('orders', items.map(toOrderView), total, q);
  }

  async adminGet(id: string) {
    const order = await this.repo.findAny(id);
    if (!order) throw ApiError.notFound('Order');
    return { ...toAdminOrderView(order), timeline: toTimeline(await this.repo.timeline(id)) };
  }

  async adminList(q: AdminListOrdersQuery) {
    const { items, total } = await this.repo.listAll(q, q);
    return page('orders', items.map(toAdminOrderView), total, q);
  }
}
