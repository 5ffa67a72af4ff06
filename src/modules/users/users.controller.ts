import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { CreateUserInput } from './inputs/create-user.input';
import { ListUsersQuery } from './inputs/list-users.query';
import { UserRefParams } from './inputs/user-ref.params';
import { UserListOutput, UserOutput } from './outputs/user.view';
import { UsersService } from './users.service';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({
    type: UserOutput,
    description: 'Errors: VALIDATION_ERROR, DUPLICATE_USER (409), USER_LIMIT_REACHED (403)',
  })
  create(@CurrentPartner() partner: PartnerContext, @Body() input: CreateUserInput): Promise<UserOutput> {
    return this.users.create(partner, input);
  }

  @Get()
  @ApiOkResponse({ type: UserListOutput })
  list(@CurrentPartner() partner: PartnerContext, @Query() query: ListUsersQuery) {
    return this.users.list(partner, query);
  }

  @Get(':ref')
  @ApiOkResponse({ type: UserOutput, description: 'Errors: NOT_FOUND (404)' })
  get(@CurrentPartner() partner: PartnerContext, @Param() params: UserRefParams): Promise<UserOutput> {
    return this.users.get(partner, params.ref);
  }
}
