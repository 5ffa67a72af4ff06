import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PaginationInput } from '@app/common/http/pagination.input';
import { AdminAuthGuard } from '../admin-auth.guard';
import { AdminPartnersService } from './admin-partners.service';
import { CreatePartnerInput } from './inputs/create-partner.input';
import { RotateKeyInput } from './inputs/rotate-key.input';
import { UpdatePartnerInput } from './inputs/update-partner.input';

@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminAuthGuard)
@Controller('admin/v1/partners')
export class AdminPartnersController {
  constructor(private readonly partners: AdminPartnersService) {}

  @Post()
  create(@Body() input: CreatePartnerInput) {
    return this.partners.create(input);
  }

  @Get()
  list(@Query() query: PaginationInput) {
    return this.partners.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.partners.get(id);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() input: UpdatePartnerInput) {
    return this.partners.update(id, input);
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  rotateKey(@Param('id') id: string, @Body() input: RotateKeyInput) {
    return this.partners.rotateKey(id, input);
  }
}
