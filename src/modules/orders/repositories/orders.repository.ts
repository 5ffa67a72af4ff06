import { Injectable } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { OrderStatus, SubmissionState } from '@app/generated/prisma/enums';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { ORDER_VIEW_INCLUDE, OrderForView } from '../outputs/order.view';

export interface OrderFilters {
  status?: OrderStatus;
  partnerUserRef?: string;
  submission?: SubmissionState;
}

export interface Paging {
  limit: number;
  offset: number;
}

export const TIMELINE_SELECT = {
  id: true,
  sequence: true,
  event: true,
  data: true,
  createdAt: true,
} satisfies Prisma.OrderEventSelect;

export type TimelineRow = Prisma.OrderEventGetPayload<{ select: typeof TIMELINE_SELECT }>;

/** Order reads. Partner reads always carry the partner id: another partner's order simply does not exist. */
@Injectable()
export class OrdersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findForPartner(partnerId: string, id: string): Promise<OrderForView | null> {
    return this.prisma.order.findFirst({ where: { id, partnerId }, include: ORDER_VIEW_INCLUDE });
  }

  listForPartner(partnerId: string, filters: OrderFilters, paging: Paging) {
    return this.list({ partnerId, ...where(filters) }, paging);
  }

  /** Operators only (admin API). */
  findAny(id: string): Promise<OrderForView | null> {
    return this.prisma.order.findUnique({ where: { id }, include: ORDER_VIEW_INCLUDE });
  }

  /** Operators only (admin API). */
  listAll(filters: OrderFilters & { partnerId?: string }, paging: Paging) {
    return this.list(
      { ...(filters.partnerId ? { partnerId: filters.partnerId } : {}), ...where(filters) },
      paging,
    );
  }

  timeline(orderId: string): Promise<TimelineRow[]> {
    return this.prisma.orderEvent.findMany({
      where: { orderId },
      orderBy: { sequence: 'asc' },
      select: TIMELINE_SELECT,
    });
  }

  private async list(
    w: Prisma.OrderWhereInput,
    paging: Paging,
  ): Promise<{ items: OrderForView[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.order.findMany({
        where: w,
        include: ORDER_VIEW_INCLUDE,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: paging.limit,
        skip: paging.offset,
      }),
      this.prisma.order.count({ where: w }),
    ]);
    return { items, total };
  }
}

function where(f: OrderFilters): Prisma.OrderWhereInput {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.submission ? { submission: f.submission } : {}),
    ...(f.partnerUserRef ? { user: { partnerUserRef: f.partnerUserRef } } : {}),
  };
}
